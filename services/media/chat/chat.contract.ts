/**
 * Actions of the chat service that other services call through `callAction`.
 * (Only those with callers outside chat so far; the realtime gateway's own
 * calls join when chat adopts `satisfies ServiceActions`.)
 */
import type { RoomModerationState } from "../../../lib/moderation/room-moderation";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** A channel's chat moderation state: modes, bans and the blocked terms comments share. */
    "chat.getModeration": { params: { channelId: string }; result: RoomModerationState };
  }
}
