/**
 * Registration: register, withdraw, approve/reject, check in, ratings, and
 * the waitlist. Capacity counts confirmed entrants only; everyone beyond it
 * waits in registration order and moves up, in that order, when a place
 * frees (withdrawal, rejection, missed check-in). Every write holds the
 * tournament's row lock, and a user's place is a primary key (members), so
 * concurrent requests can neither overfill the field nor register a user twice.
 */
import { markCreated } from "../../../lib/http/response-meta";
import { requireUser } from "../../../lib/auth/ownership";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { pageLimit, toCursorPage, decodeCursor, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { checkEntrantUsers } from "./entrant-users";
import { acceptsRegistration } from "./lifecycle";
import { pushAfterCommit } from "./live-updates";
import { cleanName } from "./rules-text";
import { isOrganizerOf, lockTournament, requireOrganizerOf } from "./tournament-access";
import { loadVisibleTournament, viewOf } from "./tournament-read";
import { toEntrantView } from "./tournament-view";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS } from "./tournaments.events";
import {
  ACTIVE_ENTRANT,
  type EntrantDoc,
  type EntrantStatus,
  type EntrantView,
  type TournamentDoc,
} from "./tournament.types";

export interface RegisterParams {
  id: string;
  teamName?: string;
  roster?: string[];
}
export interface EntrantRefParams {
  id: string;
  entrantId: string;
}
export interface ListEntrantsParams extends CursorPageParams {
  id: string;
  status?: EntrantStatus;
}
export interface SetRatingParams extends EntrantRefParams {
  rating: number | null;
}
export type EntrantPage = CursorPage<EntrantView>;

const memberId = (tournamentId: string, userId: string): string => `${tournamentId}:${userId}`;

async function confirmedCount(svc: TournamentsThis, tournamentId: string): Promise<number> {
  return svc.stores.entrants.count({ tournamentId, status: "confirmed" });
}

async function publishConfirmed(
  svc: TournamentsThis,
  t: TournamentDoc,
  e: EntrantDoc,
  fromWaitlist: boolean,
): Promise<void> {
  await svc.publishDurable("tournament.registration.confirmed", {
    tournamentId: t.id,
    tournamentName: t.name,
    entrantId: e.id,
    userId: e.userId,
    memberIds: [e.userId, ...e.roster],
    fromWaitlist,
    confirmedAt: new Date().toISOString(),
  });
}

/**
 * Fills free places from the waitlist, oldest registration first. During
 * check-in only waitlisted entrants who checked in can move up, since the
 * field is about to be fixed. Returns the promoted entrants.
 */
export async function promoteFromWaitlist(
  svc: TournamentsThis,
  t: TournamentDoc,
  opts: { checkedInOnly?: boolean } = {},
): Promise<EntrantDoc[]> {
  const free = t.maxEntrants - (await confirmedCount(svc, t.id));
  if (free <= 0) return [];
  const waiting = await svc.stores.entrants.find({
    query: { tournamentId: t.id, status: "waitlisted", ...(opts.checkedInOnly ? { checkedInAt: { $ne: null } } : {}) },
    sort: ["registrationNo"],
    limit: free,
  });
  const promoted: EntrantDoc[] = [];
  for (const e of waiting) {
    const updated = (await svc.stores.entrants.updateById(e.id, { status: "confirmed" })) as EntrantDoc;
    await publishConfirmed(svc, t, updated, true);
    promoted.push(updated);
  }
  return promoted;
}

async function waitlistPosition(svc: TournamentsThis, e: EntrantDoc): Promise<number | null> {
  if (e.status !== "waitlisted") return null;
  return (
    (await svc.stores.entrants.count({
      tournamentId: e.tournamentId,
      status: "waitlisted",
      registrationNo: { $lt: e.registrationNo },
    })) + 1
  );
}

async function entrantView(svc: TournamentsThis, e: EntrantDoc): Promise<EntrantView> {
  return toEntrantView(e, await waitlistPosition(svc, e));
}

async function pushTournament(svc: TournamentsThis, t: TournamentDoc): Promise<void> {
  if (svc.settings.liveUpdates) pushAfterCommit(svc, t.id, TOPIC_EVENTS.tournament, await viewOf(svc, t));
}

export async function register(svc: TournamentsThis, ctx: TournamentsContext<RegisterParams>): Promise<EntrantView> {
  const user = requireUser(ctx);
  const p = ctx.params;
  const pre = await loadVisibleTournament(svc, ctx, p.id);
  const roster = (p.roster ?? []).filter((id) => id !== user.id);
  if (pre.mode === "solo" && (p.teamName !== undefined || roster.length > 0))
    throw new ValidationError("A solo tournament takes no team", [{ field: "teamName", message: "solo tournament" }]);
  const teamName = p.teamName === undefined ? null : cleanName(p.teamName);
  if (pre.mode === "team") {
    if (!teamName) throw new ValidationError("A team needs a name", [{ field: "teamName", message: "required" }]);
    const size = roster.length + 1;
    if (size < pre.teamSizeMin || size > pre.teamSizeMax)
      throw new ValidationError(`A team has ${pre.teamSizeMin} to ${pre.teamSizeMax} players (captain included)`, [
        { field: "roster", message: `size ${size}` },
      ]);
  }
  // Before the lock: the users service answers for everyone on the entrant.
  const users = await checkEntrantUsers(ctx, pre.organizerId, [user.id, ...roster]);
  const entrant = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, p.id);
    if (!acceptsRegistration(t.status)) throw new ConflictError("Registration is not open");
    if (t.registrationClosesAt && Date.now() > t.registrationClosesAt.getTime())
      throw new ConflictError("Registration has closed");
    const taken = await svc.stores.members.findByIds([user.id, ...roster].map((u) => memberId(t.id, u)));
    if (taken.length > 0)
      throw new ConflictError(
        taken.some((m) => m.userId === user.id)
          ? "You are already registered for this tournament"
          : "A player on this roster is already registered",
      );
    const [{ next }] = (await svc.db.query<{ next: number }>(
      "SELECT coalesce(max(registration_no), 0) + 1 AS next FROM entrants WHERE tournament_id = $1",
      [t.id],
    )) as [{ next: number }];
    const status: EntrantStatus = t.requiresApproval
      ? "pending"
      : (await confirmedCount(svc, t.id)) < t.maxEntrants
        ? "confirmed"
        : "waitlisted";
    const e = await svc.stores.entrants.insert({
      tournamentId: t.id,
      userId: user.id,
      displayName: users.get(user.id)?.displayName ?? user.username,
      teamName,
      roster,
      status,
      registrationNo: Number(next),
      rating: null,
      seed: null,
      checkedInAt: null,
    });
    // The primary key is the backstop: a concurrent duplicate fails here (409) and rolls back.
    await svc.stores.members.insertMany(
      [user.id, ...roster].map((u) => ({ id: memberId(t.id, u), tournamentId: t.id, userId: u, entrantId: e.id })),
    );
    if (status === "confirmed") await publishConfirmed(svc, t, e, false);
    await pushTournament(svc, t);
    return e;
  });
  markCreated(ctx, `/tournaments/${entrant.tournamentId}/entrants/${entrant.id}`);
  return entrantView(svc, entrant);
}

async function loadEntrant(svc: TournamentsThis, t: TournamentDoc, entrantId: string): Promise<EntrantDoc> {
  const e = await svc.stores.entrants.findById(entrantId);
  if (!e || e.tournamentId !== t.id) throw new NotFoundError("Entrant", entrantId);
  return e;
}

/** Leaves an entrant's place: status, members freed, and the waitlist moves up. */
export async function vacate(
  svc: TournamentsThis,
  t: TournamentDoc,
  e: EntrantDoc,
  status: EntrantStatus,
): Promise<EntrantDoc> {
  const updated = (await svc.stores.entrants.updateById(e.id, { status })) as EntrantDoc;
  await svc.stores.members.removeMany({ entrantId: e.id });
  if (e.status === "confirmed") await promoteFromWaitlist(svc, t, { checkedInOnly: false });
  await pushTournament(svc, t);
  return updated;
}

/** The player (or captain) leaves; the organizer may also remove an entrant this way. */
export async function withdraw(svc: TournamentsThis, ctx: TournamentsContext<EntrantRefParams>): Promise<EntrantView> {
  const user = requireUser(ctx);
  const e = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    const entrant = await loadEntrant(svc, t, ctx.params.entrantId);
    if (entrant.userId !== user.id && !isOrganizerOf(user, t))
      throw new ForbiddenError("Only the player (or team captain) may withdraw");
    if (!acceptsRegistration(t.status)) throw new ConflictError("Withdrawals close when the tournament starts");
    if (!ACTIVE_ENTRANT.includes(entrant.status)) throw new ConflictError(`This entrant is already ${entrant.status}`);
    return vacate(svc, t, entrant, "withdrawn");
  });
  return entrantView(svc, e);
}

/** Organizer accepts a pending entrant: confirmed if there is room, waitlisted otherwise. */
export async function approve(svc: TournamentsThis, ctx: TournamentsContext<EntrantRefParams>): Promise<EntrantView> {
  const e = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    requireOrganizerOf(ctx, t);
    const entrant = await loadEntrant(svc, t, ctx.params.entrantId);
    if (entrant.status !== "pending") throw new ConflictError(`This entrant is ${entrant.status}, not pending`);
    if (!acceptsRegistration(t.status)) throw new ConflictError("Registration is not open");
    const status = (await confirmedCount(svc, t.id)) < t.maxEntrants ? "confirmed" : "waitlisted";
    const updated = (await svc.stores.entrants.updateById(entrant.id, { status })) as EntrantDoc;
    if (status === "confirmed") await publishConfirmed(svc, t, updated, false);
    await pushTournament(svc, t);
    return updated;
  });
  return entrantView(svc, e);
}

/** Organizer refuses an entrant (pending, or any not yet playing). */
export async function reject(svc: TournamentsThis, ctx: TournamentsContext<EntrantRefParams>): Promise<EntrantView> {
  const e = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    requireOrganizerOf(ctx, t);
    const entrant = await loadEntrant(svc, t, ctx.params.entrantId);
    if (!ACTIVE_ENTRANT.includes(entrant.status) || !acceptsRegistration(t.status))
      throw new ConflictError("Only entrants of an open registration can be rejected; disqualify during play");
    return vacate(svc, t, entrant, "rejected");
  });
  return entrantView(svc, e);
}

export async function checkIn(svc: TournamentsThis, ctx: TournamentsContext<EntrantRefParams>): Promise<EntrantView> {
  const user = requireUser(ctx);
  const e = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    const entrant = await loadEntrant(svc, t, ctx.params.entrantId);
    if (entrant.userId !== user.id) throw new ForbiddenError("Only the player (or team captain) checks in");
    if (t.status !== "check_in") throw new ConflictError("Check-in is not open");
    if (t.checkInClosesAt && Date.now() > t.checkInClosesAt.getTime()) throw new ConflictError("Check-in has closed");
    if (entrant.status !== "confirmed" && entrant.status !== "waitlisted")
      throw new ConflictError(`A ${entrant.status} entrant cannot check in`);
    if (entrant.checkedInAt) return entrant;
    const updated = (await svc.stores.entrants.updateById(entrant.id, { checkedInAt: new Date() })) as EntrantDoc;
    await pushTournament(svc, t);
    return updated;
  });
  return entrantView(svc, e);
}

/** Organizer sets the rating used by rank seeding. */
export async function setRating(svc: TournamentsThis, ctx: TournamentsContext<SetRatingParams>): Promise<EntrantView> {
  const e = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, ctx.params.id);
    requireOrganizerOf(ctx, t);
    const entrant = await loadEntrant(svc, t, ctx.params.entrantId);
    if (t.status === "running" || t.status === "completed" || t.status === "cancelled")
      throw new ConflictError("Ratings are fixed once the tournament has started");
    return (await svc.stores.entrants.updateById(entrant.id, { rating: ctx.params.rating })) as EntrantDoc;
  });
  return entrantView(svc, e);
}

/** Public list of entrants in registration order (waitlist positions included). */
export async function listEntrants(
  svc: TournamentsThis,
  ctx: TournamentsContext<ListEntrantsParams>,
): Promise<EntrantPage> {
  const p = ctx.params;
  await loadVisibleTournament(svc, ctx, p.id);
  const limit = pageLimit(p);
  const after = p.cursor ? Number(decodeCursor(p.cursor, 1)[0]) : 0;
  if (!Number.isInteger(after)) throw new ValidationError("Invalid cursor", [{ field: "cursor", message: "bad" }]);
  const rows = await svc.stores.entrants.find({
    query: { tournamentId: p.id, registrationNo: { $gt: after }, ...(p.status ? { status: p.status } : {}) },
    sort: ["registrationNo"],
    limit: limit + 1,
  });
  const waitlisted = (
    await svc.stores.entrants.find({ query: { tournamentId: p.id, status: "waitlisted" }, sort: ["registrationNo"] })
  ).map((e) => e.id);
  return toCursorPage(
    rows,
    limit,
    (e) => [e.registrationNo],
    (e) => toEntrantView(e, e.status === "waitlisted" ? waitlisted.indexOf(e.id) + 1 : null),
  );
}
