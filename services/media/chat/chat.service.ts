/**
 * chat: stores chat history written in batches by realtime gateways, serves
 * history (last N, before a cursor), deletes messages for good, and keeps
 * each room's moderation state durable, broadcasting every change so all
 * realtime nodes update their in-memory copy. The rules themselves are in
 * lib/moderation. Domain logic lives in the neighbouring files; this file
 * wires actions.
 */
import type { Service, ServiceSchema } from "moleculer";
import { RoleCache } from "../../../lib/auth/role-cache";
import { callAction, onEvent, type ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import type { ChatThis } from "./chat.context";
import { CHAT_DB } from "./chat.entities";
import * as P from "./chat.params";
import { appendMessages, deleteMessage, history } from "./history-actions";
import { getModeration, moderate, viewModeration } from "./moderation-actions";
import { messageForReport } from "./message-lookup";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import "./chat.contract";
import "./chat.events";

export type { ChatThis } from "./chat.context";

/** Bounds how stale a target's roles can be on a node that missed a user.roles.changed broadcast. */
const ROLE_CACHE_TTL_MS = 60_000;

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

    /** Internal: what chat holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: ChatThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },

    /** Internal (moderation): one stored message of a channel's chat, for a report. */
    messageForReport: {
      visibility: "public" as const,
      params: P.DELETE_MESSAGE,
      handler(this: ChatThis, ctx) {
        return messageForReport(this, ctx);
      },
    },
  } satisfies ServiceActions<"chat", ChatThis>,

  channels: userDeletionHandlers,

  events: {
    // Ordered by version: a late copy of an older change (another sender over NATS) does not undo a newer one.
    ...onEvent("user.roles.changed", function (this: ChatThis, payload) {
      this.roleCache.set(payload.userId, payload.roles, payload.version);
    }),
  },

  created(this: Service) {
    const svc = this as ChatThis;
    svc.roleCache = new RoleCache(
      async (userIds) => (await callAction(svc.broker, "identity.userRoles", { userIds })).items,
      ROLE_CACHE_TTL_MS,
    );
  },
};

export default ChatService;
