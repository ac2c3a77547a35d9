import { s, STORED_DOCUMENT_FIELDS } from "../../../lib/http/response-schema";
import type { ModAction, ModChange, RoomBan, RoomModerationState, RoomModes } from "../../../lib/moderation";
import type { HistoryPage, PublicChatMessage } from "./chat-history";
import type { ChatUserData, ModerationResult } from "./chat.contract";
import type { ModerationLogDoc } from "./chat.entities";

/** Response bodies of a channel's chat routes, typed by the actions' results (chat.routes.ts). */
const MOD_ACTIONS: readonly ModAction[] = [
  "ban",
  "unban",
  "timeout",
  "untimeout",
  "slow",
  "followersOnly",
  "uniqueChat",
  "emoteOnly",
  "links",
  "blockTerm",
  "unblockTerm",
];

export const CHAT_HISTORY = s.named(
  "ChatHistoryPage",
  s.object<HistoryPage>()({
    items: s.array(
      s.named(
        "ChatMessage",
        s.object<PublicChatMessage>()({
          id: s.string(),
          channelId: s.string(),
          user: s.object<PublicChatMessage["user"]>()({
            id: s.string(),
            username: s.string(),
            badges: s.array(s.string()),
          }),
          text: s.string(),
          sentAt: s.dateTime(),
        }),
      ),
    ),
    nextBefore: s.nullable(s.string()),
  }),
);

export const MESSAGE_DELETED = s.object<{ channelId: string; messageId: string; deleted: true }>()({
  channelId: s.string(),
  messageId: s.string(),
  deleted: s.literal(true),
});

export const ROOM_MODERATION = s.named(
  "RoomModerationState",
  s.object<RoomModerationState>()({
    channelId: s.string(),
    modes: s.object<RoomModes>()({
      slowModeS: s.integer(),
      followersOnly: s.boolean(),
      minFollowAgeS: s.integer(),
      uniqueChat: s.boolean(),
      emoteOnly: s.boolean(),
      linksAllowed: s.boolean(),
    }),
    bans: s.record(
      s.object<RoomBan>()({
        until: s.nullable(s.integer()),
        reason: s.optional(s.string()),
        byUserId: s.string(),
        at: s.integer(),
      }),
    ),
    blockedTerms: s.array(s.string()),
    version: s.integer(),
  }),
);

export const MODERATION_RESULT = s.object<ModerationResult>()({
  state: ROOM_MODERATION,
  change: s.object<ModChange>()({
    action: s.enum(MOD_ACTIONS),
    userId: s.optional(s.string()),
    until: s.optional(s.nullable(s.integer())),
  }),
});

/** chat's section of GET /me/export: the stored rows, field by field (no deletedBy). */
export const CHAT_USER_DATA = s.named(
  "ChatUserData",
  s.object<ChatUserData>()({
    messages: s.array(
      s.named(
        "ChatMessageRecord",
        s.object<ChatUserData["messages"][number]>()({
          ...STORED_DOCUMENT_FIELDS,
          channelId: s.string(),
          userId: s.string(),
          username: s.string(),
          badges: s.array(s.string()),
          text: s.string(),
          sentAt: s.date(),
          deleted: s.boolean(),
          deletedAt: s.optional(s.nullable(s.date())),
        }),
      ),
    ),
    moderationActions: s.array(
      s.named(
        "ChatModerationRecord",
        s.object<ModerationLogDoc>()({
          ...STORED_DOCUMENT_FIELDS,
          channelId: s.string(),
          actorId: s.string(),
          action: s.string(),
          targetUserId: s.nullable(s.string()),
          detail: s.record(s.opaque<unknown>("Action-specific detail")),
        }),
      ),
    ),
  }),
);
