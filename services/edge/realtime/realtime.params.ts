/** fastest-validator schemas of the realtime actions and of the plain events it trusts from other nodes. */
import { ID } from "../../../lib/validation";

export const NONE = {} as const;

export const VIEWERS = { channelId: ID } as const;
export interface ViewersParams {
  channelId: string;
}

export const MODERATION_CHANGED = {
  channelId: ID,
  state: { type: "object" },
  change: { type: "object", optional: true },
} as const;
export const MESSAGE_DELETED = { channelId: ID, messageId: ID, deletedBy: "string" } as const;
export const POLICY_CHANGED = {
  channelId: ID,
  ownerId: "string",
  moderatorIds: { type: "array", items: "string" },
  vipIds: { type: "array", items: "string" },
} as const;
export const NOTIFICATION_PUSH = {
  userId: "string",
  notification: {
    type: "object",
    props: {
      id: "string",
      type: "string",
      title: "string",
      body: { type: "string", optional: true },
      createdAt: "string",
    },
  },
} as const;

export const NOTIFICATION_PUSH_BATCH = {
  notification: {
    type: "object",
    props: {
      type: "string",
      title: "string",
      body: { type: "string", optional: true },
      link: { type: "string", optional: true },
      createdAt: "string",
    },
  },
  recipients: {
    type: "array",
    max: 10_000,
    items: {
      type: "object",
      props: { userId: "string", id: "string", unreadCount: { type: "number", optional: true } },
    },
  },
} as const;

export const NOTIFICATION_UNREAD = { userId: "string", unreadCount: "number" } as const;
