/**
 * chat: stores chat history written in batches by realtime gateways, serves
 * history (last N, before a cursor), deletes messages for good, and keeps
 * each room's moderation state durable, broadcasting every change so all
 * realtime nodes update their in-memory copy. The rules themselves are in
 * lib/moderation. Domain logic lives in the neighbouring files; this file
 * wires actions.
 */
import type { ServiceSchema } from "moleculer";
import type { ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import type { ChatThis } from "./chat.context";
import { CHAT_DB } from "./chat.entities";
import * as P from "./chat.params";
import { appendMessages, deleteMessage, history } from "./history-actions";
import { getModeration, moderate, viewModeration } from "./moderation-actions";
import "./chat.contract";
import "./chat.events";

export type { ChatThis } from "./chat.context";

const ChatService: ServiceSchema = {
  name: "chat",
  mixins: [DbMixin(CHAT_DB)],

  actions: {
    /** Stores a batch from a realtime gateway; idempotent, so a retried batch is harmless. */
    appendMessages: {
      params: P.APPEND_MESSAGES,
      handler(ctx) {
        return appendMessages(this, ctx);
      },
    },

    /** A room's history: the last `limit` messages, or those before a message id. Deleted messages never appear. */
    history: {
      params: P.HISTORY,
      handler(ctx) {
        return history(this, ctx);
      },
    },

    /** Deletes a message for good (broadcaster, moderators, admins). */
    deleteMessage: {
      params: P.DELETE_MESSAGE,
      handler(ctx) {
        return deleteMessage(this, ctx);
      },
    },

    /** A room's moderation state, for realtime gateways at room load (internal; no route). */
    getModeration: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return getModeration(this, ctx);
      },
    },

    /** The same state for the broadcaster and moderators over REST. */
    viewModeration: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return viewModeration(this, ctx);
      },
    },

    /** Runs a moderation command (ban, timeout, modes, blocked terms) and broadcasts the new state. */
    moderate: {
      params: P.MODERATE,
      handler(ctx) {
        return moderate(this, ctx);
      },
    },
  } satisfies ServiceActions<"chat", ChatThis>,
};

export default ChatService;
