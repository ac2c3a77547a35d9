/**
 * The chat service: stores chat history written in batches by realtime
 * gateways, serves history (last N, before a cursor), deletes messages for
 * good, and keeps each room's moderation state durable, broadcasting every
 * change so all realtime nodes update their in-memory copy.
 */
import type { Context, ServiceSchema } from "moleculer";
import { join } from "node:path";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { requireUser } from "../../../lib/auth/ownership";
import { ConflictError, NotFoundError, ValidationError } from "../../../lib/errors";
import { parseModCommand, type ChatPolicy, type ModChange, type RoomModerationState } from "../../../lib/moderation";
import { DbMixin } from "../../../mixins/db";
import type { CoreServiceThis } from "../../core/core-service";
import {
  isForeignPlaceholder,
  mayBePending,
  toDoc,
  toPage,
  type ChatMessageDoc,
  type HistoryPage,
  type IncomingChatMessage,
} from "./chat-history";
import {
  authorize,
  changeModeration,
  readModeration,
  type ModerationDoc,
  type ModerationLogDoc,
} from "./chat-moderation";

type ChatModels = { messages: ChatMessageDoc; moderation: ModerationDoc; moderationLog: ModerationLogDoc };
export type ChatThis = CoreServiceThis<ChatModels> & {
  chatPolicy(ctx: Context, channelId: string): Promise<ChatPolicy>;
};
type Ctx<P> = Context<P, ArenaMeta>;

export interface AppendMessagesParams {
  messages: IncomingChatMessage[];
}
export interface HistoryParams {
  channelId: string;
  limit?: number;
  before?: string;
}
export interface DeleteMessageParams {
  channelId: string;
  messageId: string;
}
export interface ChannelParams {
  channelId: string;
}
export interface ModerateParams {
  channelId: string;
  command: Record<string, unknown>;
}
export interface ChatMessageDeletedEvent {
  channelId: string;
  messageId: string;
  deletedBy: string;
}
export interface ChatModerationChangedEvent {
  channelId: string;
  state: RoomModerationState;
  change: ModChange;
}

const CHANNEL_ID = { type: "string", min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ } as const;
const MESSAGE_ID = { type: "string", min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ } as const;

const ChatService: ServiceSchema = {
  name: "chat",
  mixins: [
    DbMixin({
      schema: "chat",
      primary: "messages",
      entities: {
        messages: {
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
        },
        moderation: {
          table: "moderation",
          kind: "document",
          fields: { state: { type: "json", required: true }, version: { type: "integer", default: 0 } },
        },
        moderationLog: {
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
        },
      },
      migrations: [{ name: "chat", dir: join(__dirname, "migrations") }],
    }),
  ],

  actions: {
    /** Stores a batch from a realtime gateway; idempotent, so a retried batch is harmless. */
    appendMessages: {
      params: {
        messages: {
          type: "array",
          min: 1,
          max: 2000,
          items: {
            type: "object",
            strict: "remove",
            props: {
              id: MESSAGE_ID,
              room: CHANNEL_ID,
              user: {
                type: "object",
                strict: "remove",
                props: {
                  id: "string|max:100",
                  username: "string|max:100",
                  badges: { type: "array", items: "string", max: 5 },
                },
              },
              text: { type: "string", max: 2000 },
              sentAt: { type: "number", integer: true, positive: true },
            },
          },
        },
      },
      async handler(this: ChatThis, ctx: Ctx<AppendMessagesParams>): Promise<{ stored: number }> {
        const docs = ctx.params.messages.map(toDoc);
        try {
          await this.stores.messages.insertMany(docs);
          return { stored: docs.length };
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
        // Part of the batch was stored before (retry) or deleted ahead of its insert: keep what exists,
        // except a delete placeholder left from another channel: ids are public, so a moderator of
        // one channel must not be able to erase another channel's message before its batch lands.
        let stored = 0;
        for (const doc of docs) {
          if (await this.stores.messages.insertIfAbsent(doc)) stored++;
          else {
            const existing = await this.stores.messages.findById(doc.id);
            if (existing && isForeignPlaceholder(existing, doc.channelId)) {
              const { channelId, userId, username, badges, text, sentAt } = doc;
              await this.stores.messages.updateById(doc.id, {
                channelId,
                userId,
                username,
                badges,
                text,
                sentAt,
                deleted: false,
                deletedBy: null,
                deletedAt: null,
              });
              stored++;
            }
          }
        }
        return { stored };
      },
    },

    /** A room's history: the last `limit` messages, or those before a message id. Deleted messages never appear. */
    history: {
      params: {
        channelId: CHANNEL_ID,
        limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
        before: { ...MESSAGE_ID, optional: true },
      },
      async handler(this: ChatThis, ctx: Ctx<HistoryParams>): Promise<HistoryPage> {
        const { channelId, before } = ctx.params;
        const limit = ctx.params.limit ?? 50;
        // An unknown channel is a 404, not an empty history.
        await this.chatPolicy(ctx, channelId);
        const query = before ? { channelId, deleted: false, id: { $lt: before } } : { channelId, deleted: false };
        return toPage(await this.stores.messages.find({ query, sort: ["-id"], limit: limit + 1 }), limit);
      },
    },

    /** Deletes a message for good (broadcaster, moderators, admins). */
    deleteMessage: {
      params: { channelId: CHANNEL_ID, messageId: MESSAGE_ID },
      async handler(
        this: ChatThis,
        ctx: Ctx<DeleteMessageParams>,
      ): Promise<{ channelId: string; messageId: string; deleted: true }> {
        const user = requireUser(ctx);
        const { channelId, messageId } = ctx.params;
        authorize(user, await this.chatPolicy(ctx, channelId), null);
        const now = new Date();
        const doc = await this.stores.messages.findById(messageId);
        if (doc && doc.channelId !== channelId) throw new NotFoundError("Message", messageId);
        if (doc)
          await this.stores.messages.updateById(messageId, { deleted: true, deletedBy: user.id, deletedAt: now });
        else if (mayBePending(messageId, now.getTime())) {
          await this.stores.messages.insertIfAbsent({
            id: messageId,
            channelId,
            userId: "",
            username: "",
            badges: [],
            text: "",
            sentAt: now,
            deleted: true,
            deletedBy: user.id,
            deletedAt: now,
          });
        } else throw new NotFoundError("Message", messageId);
        await this.stores.moderationLog.insert({
          channelId,
          actorId: user.id,
          action: "deleteMessage",
          targetUserId: doc?.userId ?? null,
          detail: { messageId },
        });
        const event: ChatMessageDeletedEvent = { channelId, messageId, deletedBy: user.id };
        this.broker.broadcast("chat.message.deleted", event);
        return { channelId, messageId, deleted: true };
      },
    },

    /** A room's moderation state, for realtime gateways at room load (internal; no route). */
    getModeration: {
      params: { channelId: CHANNEL_ID },
      async handler(this: ChatThis, ctx: Ctx<ChannelParams>): Promise<RoomModerationState> {
        return readModeration(this.stores.moderation, ctx.params.channelId, Date.now());
      },
    },

    /** The same state for the broadcaster and moderators over REST. */
    viewModeration: {
      params: { channelId: CHANNEL_ID },
      async handler(this: ChatThis, ctx: Ctx<ChannelParams>): Promise<RoomModerationState> {
        authorize(requireUser(ctx), await this.chatPolicy(ctx, ctx.params.channelId), null);
        return readModeration(this.stores.moderation, ctx.params.channelId, Date.now());
      },
    },

    /** Runs a moderation command (ban, timeout, modes, blocked terms) and broadcasts the new state. */
    moderate: {
      params: { channelId: CHANNEL_ID, command: { type: "object" } },
      async handler(
        this: ChatThis,
        ctx: Ctx<ModerateParams>,
      ): Promise<{ state: RoomModerationState; change: ModChange }> {
        const user = requireUser(ctx);
        const command = parseModCommand(ctx.params.command);
        if (typeof command === "string") throw new ValidationError(command, [{ field: "command", message: command }]);
        const { channelId } = ctx.params;
        authorize(user, await this.chatPolicy(ctx, channelId), command);
        const result = await changeModeration(this.stores.moderation, channelId, command, user.id, Date.now());
        await this.stores.moderationLog.insert({
          channelId,
          actorId: user.id,
          action: command.action,
          targetUserId: result.change.userId ?? null,
          detail: { ...command },
        });
        const event: ChatModerationChangedEvent = { channelId, state: result.state, change: result.change };
        this.broker.broadcast("chat.moderation.changed", event);
        return result;
      },
    },
  },

  methods: {
    async chatPolicy(ctx: Context, channelId: string): Promise<ChatPolicy> {
      return ctx.call<ChatPolicy, ChannelParams>("channels.getChatPolicy", { channelId });
    },
  },
};

export default ChatService;
