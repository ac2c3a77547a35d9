/**
 * The gateway's calls into the cluster, over the broker: chat policy and
 * moderation state at room join, follow date at join, moderation commands
 * and deletes (rare), history batches, the analytics sample event.
 */
import type { ServiceBroker } from "moleculer";
import type { AuthUser } from "../../lib/auth/auth-user";
import { emptyModeration, type ChatPolicy, type ModCommand, type RoomModerationState } from "../../lib/moderation/room-moderation";
import type { RealtimeBackend } from "./gateway";
import type { ChatMessage } from "./protocol";

export interface StreamViewersSampledEvent {
  channelId: string;
  viewerCount: number;
  at: string;
}

export function brokerBackend(broker: ServiceBroker): RealtimeBackend {
  return {
    async loadRoom(roomId) {
      const [policy, moderation] = await Promise.all([
        broker.call<ChatPolicy, { channelId: string }>("channels.getChatPolicy", { channelId: roomId }),
        broker.call<RoomModerationState | null, { channelId: string }>("chat.getModeration", { channelId: roomId }),
      ]);
      return { policy, moderation: moderation ?? emptyModeration(roomId) };
    },
    async getFollowedAt(userId, roomId) {
      const follow = await broker.call<{ followedAt: string } | null, { userId: string; channelId: string }>("users.getFollow", { userId, channelId: roomId });
      if (!follow) return null;
      const at = Date.parse(follow.followedAt);
      return Number.isFinite(at) ? at : null;
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

export function persistThroughChat(broker: ServiceBroker): (messages: ChatMessage[]) => Promise<void> {
  return async (messages) => {
    await broker.call("chat.appendMessages", { messages }, { timeout: 10000, retries: 0 });
  };
}
