/**
 * The gateway's calls into the cluster, over the broker: chat policy and
 * moderation state at room join, follow date at join, moderation commands
 * and deletes (rare), history batches, the analytics sample event.
 */
import type { ServiceBroker } from "moleculer";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { emptyModeration, type ChatPolicy, type ModCommand, type RoomModerationState } from "../../../lib/moderation";
import type { RealtimeBackend } from "./gateway";
import type { PersistBatch } from "./history-writer";

export interface StreamViewersSampledEvent {
  channelId: string;
  viewerCount: number;
  at: string;
}

/** Follow dates change rarely; a user re-joining (reconnects, tab reloads) must not cost a call each time. */
const FOLLOW_TTL_MS = 60000;
const FOLLOW_CACHE_MAX = 100000;

export function brokerBackend(broker: ServiceBroker): RealtimeBackend {
  const follows = new Map<string, { followedAt: number | null; at: number }>();
  return {
    async loadRoom(roomId) {
      const [policy, moderation] = await Promise.all([
        broker.call<ChatPolicy, { channelId: string }>("channels.getChatPolicy", { channelId: roomId }),
        broker.call<RoomModerationState | null, { channelId: string }>("chat.getModeration", { channelId: roomId }),
      ]);
      return { policy, moderation: moderation ?? emptyModeration(roomId) };
    },
    async getFollowedAt(userId, roomId, fresh = false) {
      const key = `${userId}:${roomId}`;
      const now = Date.now();
      const cached = follows.get(key);
      if (cached && !fresh && now - cached.at < FOLLOW_TTL_MS) return cached.followedAt;
      const follow = await broker.call<{ followedAt: string } | null, { userId: string; channelId: string }>(
        "users.getFollow",
        { userId, channelId: roomId },
      );
      const parsed = follow ? Date.parse(follow.followedAt) : NaN;
      const followedAt = Number.isFinite(parsed) ? parsed : null;
      if (follows.size >= FOLLOW_CACHE_MAX) follows.clear();
      follows.set(key, { followedAt, at: now });
      return followedAt;
    },
    async moderate(user: AuthUser, roomId: string, command: ModCommand) {
      await broker.call("chat.moderate", { channelId: roomId, command }, { meta: { user } });
    },
    async deleteMessage(user: AuthUser, roomId: string, messageId: string) {
      await broker.call("chat.deleteMessage", { channelId: roomId, messageId }, { meta: { user } });
    },
    emitViewerSample(channelId, viewerCount, at) {
      const payload: StreamViewersSampledEvent = { channelId, viewerCount, at };
      void broker.emit("stream.viewers.sampled", payload);
    },
  };
}

export function persistThroughChat(broker: ServiceBroker): PersistBatch {
  return async (messages, trace) => {
    await broker.call("chat.appendMessages", { messages }, { timeout: 10000, retries: 0, parentSpan: trace });
  };
}
