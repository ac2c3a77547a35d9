import { cursorPageSchema, s, type PropertySchemas } from "../../../lib/http/response-schema";
import { DELIVERY_CHANNELS, type ChannelSwitches } from "./catalog.types";
import {
  DEVICE_KINDS,
  type DeliveryAttemptView,
  type DeviceView,
  type NotificationDetail,
  type NotificationView,
  type PreferencesView,
  type PushJobView,
  type TypePreferenceView,
} from "./notification.types";

/** Response bodies of /me/notifications, preferences and devices, typed by the actions' results (notifications.routes.ts). */
const NOTIFICATION_FIELDS: PropertySchemas<NotificationView> = {
  id: s.string(),
  type: s.string(),
  title: s.string(),
  body: s.nullable(s.string()),
  link: s.nullable(s.string()),
  data: s.record(s.scalar()),
  channelId: s.nullable(s.string()),
  read: s.boolean(),
  readAt: s.nullable(s.dateTime()),
  createdAt: s.dateTime(),
};

export const NOTIFICATION = s.named("Notification", s.object<NotificationView>()(NOTIFICATION_FIELDS));

export const NOTIFICATION_PAGE = cursorPageSchema("Notification", NOTIFICATION);

export const NOTIFICATION_DETAIL = s.named(
  "NotificationDetail",
  s.object<NotificationDetail>()({
    ...NOTIFICATION_FIELDS,
    delivery: s.object<NotificationDetail["delivery"]>()({
      inApp: s.enum(["stored", "off"] as const),
      pushes: s.array(
        s.object<PushJobView>()({
          deviceId: s.string(),
          kind: s.string(),
          state: s.string(),
          attempts: s.integer(),
          lastError: s.nullable(s.string()),
          nextAt: s.nullable(s.dateTime()),
        }),
      ),
      attempts: s.array(
        s.object<DeliveryAttemptView>()({
          channel: s.enum(["mobile", "web"] as const),
          provider: s.nullable(s.string()),
          deviceId: s.nullable(s.string()),
          status: s.string(),
          error: s.nullable(s.string()),
          attempt: s.integer(),
          at: s.dateTime(),
        }),
      ),
    }),
  }),
);

export const UNREAD = s.object<{ unread: number }>()({ unread: s.integer() });

export const MARKED_READ = s.object<NotificationView & { unreadCount: number }>()({
  ...NOTIFICATION_FIELDS,
  unreadCount: s.integer(),
});

export const MARKED_ALL_READ = s.object<{ marked: number; unreadCount: number }>()({
  marked: s.integer(),
  unreadCount: s.integer(),
});

export const NOTIFICATION_DELETED = s.object<{ id: string; deleted: true; unreadCount: number }>()({
  id: s.string(),
  deleted: s.literal(true),
  unreadCount: s.integer(),
});

const SWITCHES = s.object<ChannelSwitches>()({ inApp: s.boolean(), mobile: s.boolean(), web: s.boolean() });

export const PREFERENCES = s.named(
  "NotificationPreferences",
  s.object<PreferencesView>()({
    types: s.array(
      s.object<TypePreferenceView>()({
        type: s.string(),
        label: s.string(),
        channels: s.array(s.enum(DELIVERY_CHANNELS)),
        settings: SWITCHES,
        isDefault: s.boolean(),
      }),
    ),
    mutedChannels: s.array(s.string()),
  }),
);

export const DEVICE = s.named(
  "PushDevice",
  s.object<DeviceView>()({
    id: s.string(),
    kind: s.enum(DEVICE_KINDS),
    platform: s.string(),
    label: s.nullable(s.string()),
    createdAt: s.dateTime(),
    lastUsedAt: s.nullable(s.dateTime()),
  }),
);

export const DEVICES = s.object<{ items: DeviceView[] }>()({ items: s.array(DEVICE) });

export const DEVICE_DELETED = s.object<{ id: string; deleted: true }>()({ id: s.string(), deleted: s.literal(true) });

export const WEB_PUSH_KEY = s.object<{ publicKey: string | null }>()({ publicKey: s.nullable(s.string()) });
