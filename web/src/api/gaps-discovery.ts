/**
 * Response bodies of notifications (services/engagement/notifications) and the role badges route of identity,
 * until the OpenAPI document declares them; merged into ResponseGaps (gaps.ts).
 * Each mirrors the action's result type on the server.
 */

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

export type DeliveryChannel = "inApp" | "mobile" | "web";
export type ChannelSwitches = Record<DeliveryChannel, boolean>;

export interface NotificationPreferences {
  types: Array<{
    type: string;
    label: string;
    channels: DeliveryChannel[];
    settings: ChannelSwitches;
    isDefault: boolean;
  }>;
  mutedChannels: string[];
}

export interface PushDevice {
  id: string;
  kind: "mobile" | "web";
  platform: string;
  label: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface DiscoveryGaps {
  "get /api/v1/me/notifications": { items: NotificationView[]; nextCursor: string | null };
  "get /api/v1/me/notifications/unread-count": { unread: number };
  "post /api/v1/me/notifications/read": { marked: number; unreadCount: number };
  "post /api/v1/me/notifications/{id}/read": NotificationView & { unreadCount: number };
  "delete /api/v1/me/notifications/{id}": { id: string; deleted: true; unreadCount: number };
  "get /api/v1/me/notification-preferences": NotificationPreferences;
  "patch /api/v1/me/notification-preferences": NotificationPreferences;
  "put /api/v1/me/notification-preferences/muted-channels/{channelId}": NotificationPreferences;
  "delete /api/v1/me/notification-preferences/muted-channels/{channelId}": NotificationPreferences;
  "get /api/v1/me/devices": { items: PushDevice[] };
  "post /api/v1/me/devices": PushDevice;
  "get /api/v1/notifications/web-push-key": { publicKey: string | null };
  "get /api/v1/users/{userId}/roles": { userId: string; roles: string[] };
}
