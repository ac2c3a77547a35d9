/** What the chat service stores (schema "chat", migrations/), and its DbMixin config. */
import { join } from "node:path";
import type { RoomModerationState } from "../../../lib/moderation";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** A stored chat message; id is the gateway's time-ordered message id. */
export interface ChatMessageDoc extends BaseDocument {
  channelId: string;
  userId: string;
  username: string;
  badges: string[];
  text: string;
  sentAt: Date;
  deleted: boolean;
  deletedBy?: string | null;
  deletedAt?: Date | null;
}

/** One per room (id = channel id): modes, bans and blocked terms as one document, changed by compare-and-set. */
export interface ModerationDoc extends BaseDocument {
  state: RoomModerationState;
  version: number;
}

/** Who did what to whom, for the broadcaster and admins. */
export interface ModerationLogDoc extends BaseDocument {
  channelId: string;
  actorId: string;
  action: string;
  targetUserId: string | null;
  detail: Record<string, unknown>;
}

export type ChatModels = {
  messages: ChatMessageDoc;
  moderation: ModerationDoc;
  moderationLog: ModerationLogDoc;
};

const messages = entity<ChatMessageDoc>()({
  table: "messages",
  kind: "document",
  fields: {
    channelId: { type: "string", required: true },
    userId: { type: "string", required: true },
    username: { type: "string", required: true },
    badges: { type: "json", default: () => [] },
    text: { type: "text", required: true },
    sentAt: { type: "date", required: true },
    deleted: { type: "boolean", default: false },
    deletedBy: { type: "string" },
    deletedAt: { type: "date" },
  },
  indexes: [{ fields: { channelId: 1, id: -1 } }],
});

const moderation = entity<ModerationDoc>()({
  table: "moderation",
  kind: "document",
  fields: { state: { type: "json", required: true }, version: { type: "integer", default: 0 } },
});

const moderationLog = entity<ModerationLogDoc>()({
  table: "moderation_log",
  kind: "document",
  fields: {
    channelId: { type: "string", required: true },
    actorId: { type: "string", required: true },
    action: { type: "string", required: true },
    targetUserId: { type: "string" },
    detail: { type: "json", default: () => ({}) },
  },
  indexes: [{ fields: { channelId: 1, createdAt: -1 } }],
});

export const CHAT_DB: DbMixinOptions = {
  schema: "chat",
  primary: "messages",
  entities: { messages, moderation, moderationLog },
  // The durable-events tables: consumer dedupe of user.deleted / channel.deleted.
  migrations: [{ name: "chat", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
