/**
 * Who counts as what on a channel. The channels service owns the policy
 * (owner, moderators, VIPs) and broadcasts it on every change; the realtime
 * gateway, chat, video comments and blog comments all decide with these
 * rules, so "may moderate this channel" means the same everywhere.
 */
export interface ChatPolicy {
  channelId: string;
  ownerId: string;
  moderatorIds: string[];
  vipIds: string[];
}

export type RoomRole = "broadcaster" | "admin" | "moderator" | "vip" | "viewer" | "anonymous";

export function roomRole(user: { id: string; roles: readonly string[] } | null, policy: ChatPolicy): RoomRole {
  if (!user) return "anonymous";
  if (user.id === policy.ownerId) return "broadcaster";
  if (user.roles.includes("admin")) return "admin";
  if (policy.moderatorIds.includes(user.id)) return "moderator";
  if (policy.vipIds.includes(user.id)) return "vip";
  return "viewer";
}

export function isPrivileged(role: RoomRole): boolean {
  return role === "broadcaster" || role === "admin" || role === "moderator";
}

/** The broadcaster, admins and the channel's moderators take down what others post there (chat, comments). */
export function moderatesChannel(user: { id: string; roles: readonly string[] } | null, policy: ChatPolicy): boolean {
  return isPrivileged(roomRole(user, policy));
}
