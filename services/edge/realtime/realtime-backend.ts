/**
 * The gateway's calls into the cluster: chat policy and moderation state at
 * room join, follow date at join, moderation commands and deletes (rare),
 * history batches, the viewer-count sample (also published on the public
 * topic `channel:<id>`). Never one call per message.
 * The interface is what the gateway and the frame handlers depend on; the
 * broker implementation below goes through the typed contracts, and tests
 * or benchmarks may pass their own.
 */
import type { ServiceBroker } from "moleculer";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { callAction, emitEvent } from "../../../lib/contracts";
import { emptyModeration, type ModCommand } from "../../../lib/moderation";
import type { PersistBatch } from "./history-writer";
import { publishToTopic } from "./realtime.events";
import type { RoomSnapshot } from "./room-registry";

export interface RealtimeBackend {
  loadRoom(roomId: string): Promise<RoomSnapshot>;
  /** `fresh` skips any cache (the user may just have followed). */
  getFollowedAt(userId: string, roomId: string, fresh?: boolean): Promise<number | null>;
  moderate(user: AuthUser, roomId: string, command: ModCommand): Promise<void>;
  deleteMessage(user: AuthUser, roomId: string, messageId: string): Promise<void>;
  emitViewerSample(channelId: string, viewerCount: number, at: string): void;
}

/** Follow dates change rarely; a user re-joining (reconnects, tab reloads) must not cost a call each time. */
const FOLLOW_TTL_MS = 60000;
const FOLLOW_CACHE_MAX = 100000;

export function brokerBackend(broker: ServiceBroker): RealtimeBackend {
  const follows = new Map<string, { followedAt: number | null; at: number }>();
  return {
    async loadRoom(roomId) {
      const [policy, moderation] = await Promise.all([
        callAction(broker, "channels.getChatPolicy", { channelId: roomId }),
        callAction(broker, "chat.getModeration", { channelId: roomId }),
      ]);
      return { policy, moderation: moderation ?? emptyModeration(roomId) };
    },
    async getFollowedAt(userId, roomId, fresh = false) {
      const key = `${userId}:${roomId}`;
      const now = Date.now();
      const cached = follows.get(key);
      if (cached && !fresh && now - cached.at < FOLLOW_TTL_MS) return cached.followedAt;
      const follow = await callAction(broker, "users.getFollow", { userId, channelId: roomId });
      const parsed = follow ? Date.parse(follow.followedAt) : NaN;
      const followedAt = Number.isFinite(parsed) ? parsed : null;
      if (follows.size >= FOLLOW_CACHE_MAX) follows.clear();
      follows.set(key, { followedAt, at: now });
      return followedAt;
    },
    async moderate(user: AuthUser, roomId: string, command: ModCommand) {
      // The command is re-parsed by chat (parseModCommand), one rule for REST and WebSocket.
      await callAction(broker, "chat.moderate", { channelId: roomId, command: { ...command } }, { meta: { user } });
    },
    async deleteMessage(user: AuthUser, roomId: string, messageId: string) {
      await callAction(broker, "chat.deleteMessage", { channelId: roomId, messageId }, { meta: { user } });
    },
    emitViewerSample(channelId, viewerCount, at) {
      void emitEvent(broker, "stream.viewers.sampled", { channelId, viewerCount, at });
      // The same sample for anyone browsing (home page, directories): a public topic per channel.
      void publishToTopic(broker, `channel:${channelId}`, "viewers", { channelId, viewerCount, at });
    },
  };
}

export function persistThroughChat(broker: ServiceBroker): PersistBatch {
  return async (messages, trace) => {
    await callAction(broker, "chat.appendMessages", { messages }, { timeout: 10000, retries: 0, parentSpan: trace });
  };
}
