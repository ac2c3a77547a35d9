import { requireUser } from "../../../lib/auth/ownership";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { callAction } from "../../../lib/contracts";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import { roomRole } from "../../../lib/moderation";
import type { ModerationContext } from "./moderation.context";

export const isAdmin = (user: AuthUser): boolean => user.roles.includes("admin");

/**
 * Who may see and act on reports: admins everywhere; the broadcaster and the
 * channel's moderators on their own channel (its chat and comments only;
 * callers check the target kind).
 */
export async function requireQueueAccess(
  ctx: ModerationContext,
  channelId: string | null | undefined,
): Promise<{ user: AuthUser; admin: boolean }> {
  const user = requireUser(ctx);
  if (isAdmin(user)) return { user, admin: true };
  if (!channelId)
    throw new ValidationError("Channel moderators see one channel's queue", [
      { field: "channelId", message: "required unless you are an admin" },
    ]);
  const policy = await callAction(ctx, "channels.getChatPolicy", { channelId });
  const role = roomRole(user, policy);
  if (role !== "broadcaster" && role !== "moderator")
    throw new ForbiddenError("Only the channel's moderators and admins see its reports");
  return { user, admin: false };
}
