/**
 * The actions the chat service offers (name → params and result), as the
 * realtime gateway, videos, the blog and the REST gateway call them through
 * `callAction`. chat.service.ts is checked against it with
 * `satisfies ServiceActions<"chat", ChatThis>`.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { ChatMessageDoc, ModerationLogDoc } from "./chat.entities";
import type { ModChange, RoomModerationState } from "../../../lib/moderation";
import type { HistoryPage } from "./chat-history";
import type { ReportedMessage } from "./message-lookup";
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

/**
 * chat's section of GET /me/export: the user's messages (without who deleted one: a moderator's identity is not
 * the user's data) and the moderation actions they took.
 */
export type ChatUserData = {
  messages: Array<Omit<ChatMessageDoc, "deletedBy">>;
  moderationActions: ModerationLogDoc[];
};

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what chat holds of a user, for GET /me/export (the user or an admin). */
    "chat.exportUserData": { params: UserDataParams; result: ChatUserData };
    /** Internal (realtime gateways): stores a batch of accepted messages; idempotent. */
    "chat.appendMessages": { params: AppendMessagesParams; result: { stored: number } };
    "chat.history": { params: HistoryParams; result: HistoryPage };
    /** Internal (moderation): one stored message of a channel's chat, for a report. */
    "chat.messageForReport": { params: DeleteMessageParams; result: ReportedMessage };
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
