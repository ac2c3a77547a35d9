/** Stored shapes and the views clients get. */
import type { BaseDocument } from "../../../mixins/db";
import type { ChannelSwitches } from "./catalog.types";

export interface NotificationDoc extends BaseDocument {
  userId: string;
  type: string;
  sourceKey: string;
  title: string;
  body: string | null;
  link: string | null;
  data: Record<string, string | number | boolean | null>;
  channelId: string | null;
  actorId: string | null;
  inApp: boolean;
  readAt: Date | null;
}

export const DEVICE_KINDS = ["mobile", "web"] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface DeviceDoc extends BaseDocument {
  userId: string;
  kind: DeviceKind;
  /** "fcm" / "apns" for mobile tokens, "webpush" for browser subscriptions. */
  platform: string;
  /** The FCM/APNs registration token, or the Web Push endpoint URL. */
  token: string;
  p256dh: string | null;
  auth: string | null;
  /** SNS platform endpoint created for the token (SNS provider only). */
  endpointArn: string | null;
  label: string | null;
  lastUsedAt: Date | null;
}

export interface NotificationView {
  id: string;
  type: string;
  title: string;
  body: string | null;
  link: string | null;
  data: Record<string, string | number | boolean | null>;
  channelId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface DeliveryAttemptView {
  channel: "mobile" | "web";
  provider: string | null;
  deviceId: string | null;
  status: string;
  error: string | null;
  attempt: number;
  at: string;
}

export interface PushJobView {
  deviceId: string;
  kind: string;
  state: string;
  attempts: number;
  lastError: string | null;
  nextAt: string | null;
}

export interface NotificationDetail extends NotificationView {
  /** In-app: stored in the inbox (and pushed to open sockets); pushes: one entry per device. */
  delivery: { inApp: "stored" | "off"; pushes: PushJobView[]; attempts: DeliveryAttemptView[] };
}

export interface DeviceView {
  id: string;
  kind: DeviceKind;
  platform: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface TypePreferenceView {
  type: string;
  label: string;
  channels: Array<keyof ChannelSwitches>;
  settings: ChannelSwitches;
  /** True when the user has not changed the type's defaults. */
  isDefault: boolean;
}

export interface PreferencesView {
  types: TypePreferenceView[];
  mutedChannels: string[];
}

export function toNotificationView(doc: NotificationDoc): NotificationView {
  return {
    id: doc.id,
    type: doc.type,
    title: doc.title,
    body: doc.body,
    link: doc.link,
    data: doc.data ?? {},
    channelId: doc.channelId,
    read: doc.readAt !== null,
    readAt: doc.readAt ? new Date(doc.readAt).toISOString() : null,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

export function toDeviceView(doc: DeviceDoc): DeviceView {
  return {
    id: doc.id,
    kind: doc.kind,
    platform: doc.platform,
    label: doc.label,
    createdAt: new Date(doc.createdAt).toISOString(),
    lastUsedAt: doc.lastUsedAt ? new Date(doc.lastUsedAt).toISOString() : null,
  };
}
