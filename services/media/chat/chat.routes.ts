import type { RouteTable } from "../../edge/api/route-table";

export const chatRoutes: RouteTable = {
  routes: [
    {
      method: "GET",
      path: "/channels/:channelId/chat/messages",
      action: "chat.history",
      auth: "optional",
      summary: "Chat history of a channel: last N messages, or those before a message id (oldest first)",
    },
    {
      method: "DELETE",
      path: "/channels/:channelId/chat/messages/:messageId",
      action: "chat.deleteMessage",
      auth: "required",
      summary: "Delete a chat message (broadcaster, moderators)",
    },
    {
      method: "GET",
      path: "/channels/:channelId/chat/moderation",
      action: "chat.viewModeration",
      auth: "required",
      summary: "Chat modes, bans, timeouts and blocked terms (broadcaster, moderators)",
    },
    {
      method: "POST",
      path: "/channels/:channelId/chat/moderation",
      action: "chat.moderate",
      auth: "required",
      summary: "Run a chat moderation command: ban, timeout, slow mode, followers-only, blocked terms...",
    },
  ],
};
