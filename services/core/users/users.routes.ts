import type { RouteTable } from "../../edge/api/route-table";

/** /api/v1/users/* (public profiles) and /api/v1/me/* (the caller's own data). */
export const usersRoutes: RouteTable = {
  routes: [
    { method: "GET", path: "/users/:id", action: "users.get", auth: "optional", summary: "Public profile of a user" },
    {
      method: "GET",
      path: "/users/by-username/:username",
      action: "users.getByUsername",
      auth: "optional",
      summary: "Public profile by username (the public handle)",
    },
    {
      method: "GET",
      path: "/users/:id/private",
      action: "users.getPrivate",
      auth: "required",
      summary: "Private profile (owner or admin)",
    },
    {
      method: "GET",
      path: "/users/:userId/following",
      action: "users.following",
      auth: "optional",
      summary: "Channels a user follows",
    },
    { method: "GET", path: "/me", action: "users.me", auth: "required", summary: "The caller's private profile" },
    {
      method: "PATCH",
      path: "/me",
      action: "users.updateProfile",
      auth: "required",
      summary: "Change the caller's profile",
    },
    {
      method: "PATCH",
      path: "/me/preferences",
      action: "users.updatePreferences",
      auth: "required",
      summary: "Change language and notification settings",
    },
    {
      method: "GET",
      path: "/me/following",
      action: "users.myFollowing",
      auth: "required",
      summary: "Channels the caller follows",
    },
    {
      method: "GET",
      path: "/me/blocks",
      action: "users.blocks",
      auth: "required",
      summary: "Users the caller blocked",
    },
    { method: "PUT", path: "/me/blocks/:userId", action: "users.block", auth: "required", summary: "Block a user" },
    {
      method: "DELETE",
      path: "/me/blocks/:userId",
      action: "users.unblock",
      auth: "required",
      summary: "Unblock a user",
    },
    {
      method: "GET",
      path: "/channels/:channelId/follow",
      action: "users.followState",
      auth: "required",
      summary: "Whether the caller follows a channel",
    },
    {
      method: "PUT",
      path: "/channels/:channelId/follow",
      action: "users.follow",
      auth: "required",
      summary: "Follow a channel",
    },
    {
      method: "DELETE",
      path: "/channels/:channelId/follow",
      action: "users.unfollow",
      auth: "required",
      summary: "Unfollow a channel",
    },
    {
      method: "GET",
      path: "/channels/:channelId/followers",
      action: "users.followers",
      auth: "optional",
      summary: "Followers of a channel",
    },
  ],
};
