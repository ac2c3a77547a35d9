/**
 * The actions the chat service offers (name → params and result), as the
 * realtime gateway, videos, the blog and the REST gateway call them through
 * `callAction`. chat.service.ts is checked against it with
 * `satisfies ServiceActions<"chat", ChatThis>`.
 */
import type { ModChange, RoomModerationState } from "../../../lib/moderation";
import type { HistoryPage } from "./chat-history";
import type {
  AppendMessagesParams,
  ByChannelParams,
  DeleteMessageParams,
  HistoryParams,
  ModerateParams,
} from "./chat.params";

export interface ModerationResult {
  state: RoomModerationState;
  change: ModChange;
}

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal (realtime gateways): stores a batch of accepted messages; idempotent. */
    "chat.appendMessages": { params: AppendMessagesParams; result: { stored: number } };
    "chat.history": { params: HistoryParams; result: HistoryPage };
    "chat.deleteMessage": {
      params: DeleteMessageParams;
      result: { channelId: string; messageId: string; deleted: true };
    };
    /** A channel's chat moderation state: modes, bans and the blocked terms comments share. */
    "chat.getModeration": { params: ByChannelParams; result: RoomModerationState };
    /** The same for the broadcaster and moderators over REST. */
    "chat.viewModeration": { params: ByChannelParams; result: RoomModerationState };
    "chat.moderate": { params: ModerateParams; result: ModerationResult };
  }
}
