/**
 * tournaments' share of an account deletion: the user's registrations. In a
 * tournament still taking registrations the user's entry is withdrawn (the
 * waitlist moves up) and removed, or they leave their team's roster; in a
 * started or finished one the bracket must stay whole, so the entry stays
 * but no longer names them. Idempotent: a redelivery finds no places left.
 */
import type { Service } from "moleculer";
import { DELETED_USER_ID, DELETED_USER_NAME } from "../../../lib/auth/deleted-user";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import { acceptsRegistration } from "./lifecycle";
import { vacate } from "./registration-actions";
import { lockTournament } from "./tournament-access";
import { ACTIVE_ENTRANT, type EntrantDoc } from "./tournament.types";
import type { TournamentsThis } from "./tournaments.context";
import type { TournamentsUserData } from "./tournaments.contract";

async function leaveEntrant(svc: TournamentsThis, entrant: EntrantDoc, userId: string): Promise<void> {
  await svc.db.transaction(async () => {
    const t = await lockTournament(svc, entrant.tournamentId);
    const open = acceptsRegistration(t.status);
    if (entrant.userId === userId) {
      if (open) {
        if (ACTIVE_ENTRANT.includes(entrant.status)) await vacate(svc, t, entrant, "withdrawn");
        await svc.stores.members.removeMany({ entrantId: entrant.id });
        await svc.stores.entrants.removeById(entrant.id);
        return;
      }
      await svc.stores.entrants.updateById(entrant.id, {
        userId: DELETED_USER_ID,
        displayName: DELETED_USER_NAME,
        roster: entrant.roster.map((id) => (id === userId ? DELETED_USER_ID : id)),
      });
    } else {
      await svc.stores.entrants.updateById(entrant.id, {
        roster: open
          ? entrant.roster.filter((id) => id !== userId)
          : entrant.roster.map((id) => (id === userId ? DELETED_USER_ID : id)),
      });
    }
    await svc.stores.members.removeMany({ tournamentId: t.id, userId });
  });
}

async function deleteRegistrations(svc: TournamentsThis, userId: string): Promise<void> {
  const places = await svc.stores.members.find({ query: { userId } });
  const captained = await svc.stores.entrants.find({ query: { userId } });
  const entrantIds = new Set([...places.map((m) => m.entrantId), ...captained.map((e) => e.id)]);
  for (const id of entrantIds) {
    const entrant = await svc.stores.entrants.findById(id);
    if (entrant) await leaveEntrant(svc, entrant, userId);
  }
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "tournaments",
    async handler(this: Service, envelope) {
      await deleteRegistrations(this as unknown as TournamentsThis, envelope.payload.userId);
    },
  }),
};

/** tournaments' part of GET /me/export: what it holds of the user. */
export async function exportUserData(
  svc: TournamentsThis,
  ctx: ArenaContext<UserDataParams>,
): Promise<TournamentsUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const [entries, places] = await Promise.all([
    svc.stores.entrants.find({ query: { userId } }),
    svc.stores.members.find({ query: { userId } }),
  ]);
  return { entries, places };
}
