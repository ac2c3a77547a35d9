/**
 * The organizer's lifecycle moves before start that change nothing but the
 * status (open registration, open check-in) and cancelling; moveOrConflict
 * turns an impossible move into a 409 for these and for the start.
 */
import { ConflictError } from "../../../lib/errors";
import { nextStatus, TransitionError, type TournamentStatus, type Transition } from "./lifecycle";
import { pushAfterCommit } from "./live-updates";
import { lockTournament, requireOrganizerOf } from "./tournament-access";
import { viewOf } from "./tournament-read";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS, tournamentUpdatedPayload } from "./tournaments.events";
import type { TournamentDoc, TournamentView } from "./tournament.types";

/** open_registration, open_check_in: organizer-only moves that change nothing else. */
export async function transition(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ id: string }>,
  move: Extract<Transition, "open_registration" | "open_check_in">,
): Promise<TournamentView> {
  return svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    requireOrganizerOf(ctx, t);
    const status = moveOrConflict(t, move);
    const saved = (await svc.stores.tournaments.updateById(t.id, { status })) as TournamentDoc;
    await svc.publishDurable("tournament.updated", tournamentUpdatedPayload(saved));
    const view = await viewOf(svc, saved);
    pushAfterCommit(svc, t.id, TOPIC_EVENTS.tournament, view);
    return view;
  });
}

export function moveOrConflict(t: TournamentDoc, move: Transition): TournamentStatus {
  try {
    return nextStatus(t.status, move, { hasCheckIn: t.checkInOpensAt !== null });
  } catch (err) {
    if (err instanceof TransitionError) throw new ConflictError(err.message);
    throw err;
  }
}

export async function cancelTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ id: string }>,
): Promise<TournamentView> {
  return svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    requireOrganizerOf(ctx, t);
    const status = moveOrConflict(t, "cancel");
    const cancelledAt = new Date();
    const saved = (await svc.stores.tournaments.updateById(t.id, { status, cancelledAt })) as TournamentDoc;
    const members = await svc.db.query<{ user_id: string }>(
      "SELECT DISTINCT user_id FROM members WHERE tournament_id = $1",
      [t.id],
    );
    await svc.publishDurable("tournament.cancelled", {
      tournamentId: t.id,
      name: t.name,
      memberIds: members.map((m) => m.user_id),
      cancelledAt: cancelledAt.toISOString(),
    });
    const view = await viewOf(svc, saved);
    pushAfterCommit(svc, t.id, TOPIC_EVENTS.tournament, view);
    return view;
  });
}
