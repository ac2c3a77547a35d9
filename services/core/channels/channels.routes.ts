import type { RouteTable } from "../../edge/api/route-table";

/** /api/v1/channels/* (follows are in users.routes.ts: the users service owns them). */
export const channelsRoutes: RouteTable = {
  routes: [
    { method: "GET", path: "/channels", action: "channels.list", auth: "optional", summary: "Browse channels (paged)" },
    {
      method: "POST",
      path: "/channels",
      action: "channels.create",
      status: 201,
      auth: "required",
      summary: "Create the caller's channel (stream key shown once)",
    },
    {
      method: "GET",
      path: "/channels/by-slug/:slug",
      action: "channels.getBySlug",
      auth: "optional",
      summary: "A channel by slug",
    },
    { method: "GET", path: "/channels/:id", action: "channels.get", auth: "optional", summary: "A channel by id" },
    {
      method: "PATCH",
      path: "/channels/:id",
      action: "channels.update",
      auth: "required",
      summary: "Change a channel (owner)",
    },
    {
      method: "PUT",
      path: "/channels/:id/suspension",
      action: "channels.suspend",
      auth: "required",
      roles: ["admin"],
      summary: "Suspend a channel from broadcasting (admin)",
    },
    {
      method: "DELETE",
      path: "/channels/:id/suspension",
      action: "channels.unsuspend",
      auth: "required",
      roles: ["admin"],
      summary: "Lift a channel's suspension (admin)",
    },
    {
      method: "POST",
      path: "/channels/:id/stream-key",
      action: "channels.rotateStreamKey",
      auth: "required",
      summary: "Rotate the stream key (owner; shown once)",
    },
    {
      method: "GET",
      path: "/channels/:channelId/chat-policy",
      action: "channels.getChatPolicy",
      auth: "optional",
      summary: "Owner, moderators and VIPs",
    },
    {
      method: "PUT",
      path: "/channels/:id/moderators/:userId",
      action: "channels.addModerator",
      auth: "required",
      summary: "Name a moderator (owner)",
    },
    {
      method: "DELETE",
      path: "/channels/:id/moderators/:userId",
      action: "channels.removeModerator",
      auth: "required",
      summary: "Remove a moderator (owner)",
    },
    {
      method: "PUT",
      path: "/channels/:id/vips/:userId",
      action: "channels.addVip",
      auth: "required",
      summary: "Name a VIP (owner)",
    },
    {
      method: "DELETE",
      path: "/channels/:id/vips/:userId",
      action: "channels.removeVip",
      auth: "required",
      summary: "Remove a VIP (owner)",
    },
  ],
};
