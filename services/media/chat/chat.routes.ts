import { routeTable } from "../../edge/api/route-table";
import { CHAT_HISTORY, MESSAGE_DELETED, MODERATION_RESULT, ROOM_MODERATION } from "./chat.responses";

export const chatRoutes = routeTable({
  routes: [
    {
      method: "GET",
      path: "/channels/:channelId/chat/messages",
      action: "chat.history",
      response: CHAT_HISTORY,
      auth: "optional",
      summary: "Chat history of a channel: last N messages, or those before a message id (oldest first)",
    },
    {
      method: "DELETE",
      path: "/channels/:channelId/chat/messages/:messageId",
      action: "chat.deleteMessage",
      response: MESSAGE_DELETED,
      auth: "required",
      summary: "Delete a chat message (broadcaster, moderators)",
    },
    {
      method: "GET",
      path: "/channels/:channelId/chat/moderation",
      action: "chat.viewModeration",
      response: ROOM_MODERATION,
      auth: "required",
      summary: "Chat modes, bans, timeouts and blocked terms (broadcaster, moderators)",
    },
    {
      method: "POST",
      path: "/channels/:channelId/chat/moderation",
      action: "chat.moderate",
      response: MODERATION_RESULT,
      auth: "required",
      summary: "Run a chat moderation command: ban, timeout, slow mode, followers-only, blocked terms...",
    },
  ],
});
