/** fastest-validator schemas of every chat action, with the params type each one yields. */
import { ID } from "../../../lib/validation";
import type { IncomingChatMessage } from "./chat-history";

export const APPEND_MESSAGES = {
  messages: {
    type: "array",
    min: 1,
    max: 2000,
    items: {
      type: "object",
      strict: "remove",
      props: {
        id: ID,
        room: ID,
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
} as const;
export interface AppendMessagesParams {
  messages: IncomingChatMessage[];
}

export const HISTORY = {
  channelId: ID,
  limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
  before: { ...ID, optional: true },
} as const;
export interface HistoryParams {
  channelId: string;
  limit?: number;
  before?: string;
}

export const DELETE_MESSAGE = { channelId: ID, messageId: ID } as const;
export interface DeleteMessageParams {
  channelId: string;
  messageId: string;
}

export const BY_CHANNEL = { channelId: ID } as const;
export interface ByChannelParams {
  channelId: string;
}

/** The command itself is checked by parseModCommand (lib/moderation), one rule for REST and WebSocket. */
export const MODERATE = { channelId: ID, command: { type: "object" } } as const;
export interface ModerateParams {
  channelId: string;
  command: Record<string, unknown>;
}
