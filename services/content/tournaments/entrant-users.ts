/**
 * Who may enter: every member of an entrant must be an Arena user, and none
 * may be someone the organizer blocked. Two batch calls to the users
 * service per registration, whatever the roster size.
 */
import { callAction } from "../../../lib/contracts";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import type { TournamentsContext } from "./tournaments.context";

export interface EntrantUser {
  id: string;
  displayName: string;
}

export async function checkEntrantUsers(
  ctx: TournamentsContext,
  organizerId: string,
  userIds: string[],
): Promise<Map<string, EntrantUser>> {
  const [profiles, blocked] = await Promise.all([
    callAction(ctx, "users.getMany", { ids: userIds }),
    callAction(ctx, "users.blockedAmong", { userId: organizerId, ids: userIds }),
  ]);
  const found = new Map(profiles.map((p) => [p.id, { id: p.id, displayName: p.displayName }]));
  const missing = userIds.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new ValidationError(
      "Unknown user in the roster",
      missing.map((id) => ({ field: "roster", message: `no user ${id}` })),
    );
  if (blocked.blockedIds.length > 0)
    throw new ForbiddenError("The organizer does not accept registrations from this player or team");
  return found;
}
