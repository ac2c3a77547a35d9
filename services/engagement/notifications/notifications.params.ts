/** fastest-validator schemas of the notifications actions (the gateway turns failures into 400s). */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";

export const NONE = { $$strict: "remove" } as const;

export const LIST = {
  ...CURSOR_PAGE_PARAMS,
  unread: { type: "boolean", optional: true, convert: true },
  $$strict: "remove",
} as const;

export const BY_ID = { id: ID } as const;

export const MARK_ALL = { before: { type: "date", optional: true, convert: true }, $$strict: "remove" } as const;

const SWITCHES = {
  type: "object",
  strict: true,
  props: {
    inApp: { type: "boolean", optional: true },
    mobile: { type: "boolean", optional: true },
    web: { type: "boolean", optional: true },
  },
} as const;

export const UPDATE_PREFERENCES = {
  types: { type: "record", key: { type: "string", max: 64 }, value: SWITCHES, optional: true },
  $$strict: "remove",
} as const;

export const CHANNEL = { channelId: ID } as const;

/**
 * A device: an FCM/APNs token for phones, or a browser's PushSubscription
 * (`subscription.toJSON()`): deeper checks (key lengths, curve point, https)
 * are in device-actions.ts.
 */
export const REGISTER_DEVICE = {
  kind: { type: "enum", values: ["mobile", "web"] },
  platform: { type: "enum", values: ["fcm", "apns"], optional: true },
  token: { type: "string", min: 1, max: 4096, optional: true },
  subscription: {
    type: "object",
    optional: true,
    strict: "remove",
    props: {
      endpoint: { type: "string", min: 1, max: 2048 },
      keys: {
        type: "object",
        strict: "remove",
        props: { p256dh: { type: "string", min: 1, max: 200 }, auth: { type: "string", min: 1, max: 100 } },
      },
    },
  },
  label: { type: "string", max: 80, optional: true },
  $$strict: "remove",
} as const;

export const FOR_USER = { userId: ID } as const;
