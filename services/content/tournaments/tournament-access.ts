/**
 * Loading a tournament and deciding who may touch it. Edits are for its
 * organizer and admins; creating one needs the organizer role. Writes that
 * must not interleave (registration, start, reports) take the tournament's
 * row lock first: they serialize per tournament, and only per tournament.
 */
import { hasRole, isAdmin, requireUser } from "../../../lib/auth/ownership";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import type { TournamentDoc } from "./tournament.types";

export async function loadTournament(svc: TournamentsThis, id: string): Promise<TournamentDoc> {
  const tournament = await svc.stores.tournaments.findById(id);
  if (!tournament) throw new NotFoundError("Tournament", id);
  return tournament;
}

/** Inside a transaction: waits for, then holds, the tournament's row lock until commit. */
export async function lockTournament(svc: TournamentsThis, id: string): Promise<TournamentDoc> {
  const rows = await svc.db.query<{ id: string }>("SELECT id FROM tournaments WHERE id = $1 FOR UPDATE", [id]);
  if (rows.length === 0) throw new NotFoundError("Tournament", id);
  return loadTournament(svc, id);
}

export function isOrganizerOf(user: AuthUser | undefined, tournament: TournamentDoc): boolean {
  return !!user && (user.id === tournament.organizerId || isAdmin(user));
}

/**
 * The tournament's organizer or an admin; others get 403 (anonymous 401).
 * A draft exists only for its organizer and admins: anyone else gets the same
 * 404 a read of it answers, so a write cannot probe which draft ids exist.
 */
export function requireOrganizerOf(ctx: TournamentsContext, tournament: TournamentDoc): AuthUser {
  const user = requireUser(ctx);
  if (tournament.status === "draft" && !isOrganizerOf(user, tournament))
    throw new NotFoundError("Tournament", tournament.id);
  if (!isOrganizerOf(user, tournament)) throw new ForbiddenError("Only the organizer may change this tournament");
  return user;
}

/** Creating a tournament: the organizer role (admins pass). */
export function requireOrganizerRole(ctx: TournamentsContext): AuthUser {
  const user = requireUser(ctx);
  if (!hasRole(user, "organizer")) throw new ForbiddenError("Requires the organizer role");
  return user;
}
