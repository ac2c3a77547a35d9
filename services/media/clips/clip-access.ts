import { requireUser } from "../../../lib/auth/ownership";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { callAction } from "../../../lib/contracts";
import { ForbiddenError, RateLimitedError } from "../../../lib/errors";
import { roomRole, type RoomRole } from "../../../lib/moderation";
import { checkLimit } from "../../../lib/rate-limit";
import type { ClipsContext, ClipsThis } from "./clips.context";

const STAFF: readonly RoomRole[] = ["broadcaster", "admin", "moderator"];

/** The caller's role in a channel (owner, moderators and VIPs come from the channels service). */
export async function channelRole(ctx: ClipsContext, channelId: string): Promise<{ user: AuthUser; role: RoomRole }> {
  const user = requireUser(ctx);
  const policy = await callAction(ctx, "channels.getChatPolicy", { channelId });
  return { user, role: roomRole(user, policy) };
}

/** The broadcaster, a channel moderator or an admin; anyone else gets 403. */
export async function requireChannelStaff(ctx: ClipsContext, channelId: string, what: string): Promise<AuthUser> {
  const { user, role } = await channelRole(ctx, channelId);
  if (!STAFF.includes(role)) throw new ForbiddenError(`Only the broadcaster and the channel's moderators may ${what}`);
  return user;
}

export function isChannelStaff(role: RoomRole): boolean {
  return STAFF.includes(role);
}

/** Per-user budget of an action (Redis-backed when clustered). */
export async function spendBudget(
  svc: ClipsThis,
  key: string,
  limit: { max: number; windowMs: number },
): Promise<void> {
  const decision = await checkLimit(svc.limits, key, limit.max, limit.windowMs);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
}
