import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { DeviceDoc, NotificationDoc } from "./notification.types";

/**
 * Relational entities. Inbox pages, fan-out inserts and the push queue are
 * SQL the entity store cannot express (keyset pages, multi-row inserts with
 * preference joins, SKIP LOCKED claims): those live in the action files.
 */
const notifications = entity<NotificationDoc>()({
  table: "notifications",
  kind: "relational",
  fields: {
    userId: { type: "string", required: true },
    type: { type: "string", required: true },
    sourceKey: { type: "string", required: true },
    title: { type: "string", required: true },
    body: { type: "text", default: null },
    link: { type: "string", default: null },
    data: { type: "json", default: () => ({}) },
    channelId: { type: "string", default: null },
    actorId: { type: "string", default: null },
    inApp: { type: "boolean", default: true },
    readAt: { type: "date", default: null },
  },
});

const devices = entity<DeviceDoc>()({
  table: "devices",
  kind: "relational",
  fields: {
    userId: { type: "string", required: true },
    kind: { type: "string", required: true },
    platform: { type: "string", required: true },
    token: { type: "text", required: true },
    p256dh: { type: "string", default: null },
    auth: { type: "string", default: null },
    endpointArn: { type: "string", default: null },
    label: { type: "string", default: null },
    lastUsedAt: { type: "date", default: null },
  },
});

export const NOTIFICATIONS_DB: DbMixinOptions = {
  schema: "notifications",
  entities: { notifications, devices },
  primary: "notifications",
  migrations: [{ name: "notifications", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
