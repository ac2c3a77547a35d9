/** Creating, editing, reading, listing tournaments, and the lifecycle moves before start. */
import { markCreated } from "../../../lib/http/response-meta";
import { currentUser, isAdmin } from "../../../lib/auth/ownership";
import { ConflictError, NotFoundError, ValidationError } from "../../../lib/errors";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import type { Format } from "./bracket.types";
import { editableFields, nextStatus, TransitionError, type TournamentStatus, type Transition } from "./lifecycle";
import { pushAfterCommit } from "./live-updates";
import { cleanName, cleanRules } from "./rules-text";
import {
  isOrganizerOf,
  loadTournament,
  lockTournament,
  requireOrganizerOf,
  requireOrganizerRole,
} from "./tournament-access";
import { toTournamentView } from "./tournament-view";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS, tournamentUpdatedPayload } from "./tournaments.events";
import type { RulesFormat, TournamentDoc, TournamentMode, TournamentOptions, TournamentView } from "./tournament.types";

export interface TournamentInput {
  name: string;
  game: string;
  category?: string | null;
  format: Format;
  mode?: TournamentMode;
  teamSizeMin?: number;
  teamSizeMax?: number;
  minEntrants?: number;
  maxEntrants: number;
  requiresApproval?: boolean;
  registrationOpensAt?: Date | null;
  registrationClosesAt?: Date | null;
  checkInOpensAt?: Date | null;
  checkInClosesAt?: Date | null;
  startsAt: Date;
  rules?: string;
  rulesFormat?: RulesFormat;
  options?: Partial<TournamentOptions>;
}
export type CreateTournamentParams = TournamentInput;
export type UpdateTournamentParams = Partial<TournamentInput> & { id: string };
export interface ListTournamentsParams extends CursorPageParams {
  status?: TournamentStatus;
  organizerId?: string;
  game?: string;
}
export type TournamentPage = CursorPage<TournamentView>;

const DEFAULT_OPTIONS: TournamentOptions = {
  seeding: "rank",
  thirdPlaceMatch: false,
  grandFinalReset: true,
  groups: 1,
  swissRounds: null,
  roundMinutes: 60,
  randomSeed: null,
};

/** Fields fixed once registration opens: entrants registered under them. */
const STRUCTURAL: ReadonlyArray<keyof TournamentInput> = [
  "format",
  "mode",
  "teamSizeMin",
  "teamSizeMax",
  "minEntrants",
  "maxEntrants",
  "requiresApproval",
  "options",
];

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, [{ field, message }]);
}

/** Cross-field rules every create and update must satisfy. */
function checkConsistency(t: Omit<TournamentDoc, "id" | "createdAt" | "updatedAt">, limit: number): void {
  if (t.maxEntrants > limit) throw invalid("maxEntrants", `At most ${limit} entrants`);
  if (t.minEntrants > t.maxEntrants) throw invalid("minEntrants", "minEntrants exceeds maxEntrants");
  if (t.teamSizeMin > t.teamSizeMax) throw invalid("teamSizeMin", "teamSizeMin exceeds teamSizeMax");
  if (t.mode === "solo" && (t.teamSizeMin !== 1 || t.teamSizeMax !== 1))
    throw invalid("mode", "Solo tournaments have teams of one");
  const before = (a: Date | null, b: Date | null, field: string, message: string) => {
    if (a && b && a.getTime() > b.getTime()) throw invalid(field, message);
  };
  before(t.registrationOpensAt, t.registrationClosesAt, "registrationClosesAt", "Registration closes before it opens");
  before(t.registrationClosesAt, t.startsAt, "registrationClosesAt", "Registration must close by the start");
  before(t.checkInOpensAt, t.checkInClosesAt, "checkInClosesAt", "Check-in closes before it opens");
  before(t.checkInClosesAt, t.startsAt, "checkInClosesAt", "Check-in must close by the start");
  if (t.checkInClosesAt && !t.checkInOpensAt) throw invalid("checkInOpensAt", "Check-in needs an opening time");
  if (t.format === "round_robin" && t.options.groups * 2 > t.maxEntrants)
    throw invalid("options", "Each group needs at least 2 entrants");
}

export async function entrantCounts(
  svc: TournamentsThis,
  ids: string[],
): Promise<Map<string, { confirmed: number; waitlisted: number }>> {
  const out = new Map(ids.map((id) => [id, { confirmed: 0, waitlisted: 0 }]));
  if (ids.length === 0) return out;
  const rows = await svc.db.query<{ tournament_id: string; status: string; n: string }>(
    `SELECT tournament_id, status, count(*) AS n FROM entrants
     WHERE tournament_id = ANY($1::text[]) AND status IN ('confirmed', 'waitlisted', 'eliminated')
     GROUP BY tournament_id, status`,
    [ids],
  );
  for (const r of rows) {
    const c = out.get(r.tournament_id);
    if (!c) continue;
    if (r.status === "waitlisted") c.waitlisted += Number(r.n);
    else c.confirmed += Number(r.n);
  }
  return out;
}

export async function viewOf(svc: TournamentsThis, t: TournamentDoc): Promise<TournamentView> {
  const counts = await entrantCounts(svc, [t.id]);
  return toTournamentView(t, counts.get(t.id) ?? { confirmed: 0, waitlisted: 0 });
}

export async function createTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<CreateTournamentParams>,
): Promise<TournamentView> {
  const user = requireOrganizerRole(ctx);
  const p = ctx.params;
  const mode = p.mode ?? "solo";
  const doc = {
    organizerId: user.id,
    name: cleanName(p.name),
    game: cleanName(p.game),
    category: p.category ? cleanName(p.category) : null,
    format: p.format,
    status: "draft" as const,
    mode,
    teamSizeMin: mode === "solo" ? 1 : (p.teamSizeMin ?? 1),
    teamSizeMax: mode === "solo" ? 1 : (p.teamSizeMax ?? Math.max(p.teamSizeMin ?? 1, 5)),
    minEntrants: p.minEntrants ?? 2,
    maxEntrants: p.maxEntrants,
    requiresApproval: p.requiresApproval ?? false,
    registrationOpensAt: p.registrationOpensAt ?? null,
    registrationClosesAt: p.registrationClosesAt ?? null,
    checkInOpensAt: p.checkInOpensAt ?? null,
    checkInClosesAt: p.checkInClosesAt ?? null,
    startsAt: p.startsAt,
    rules: cleanRules(p.rules ?? "", p.rulesFormat ?? "plain"),
    rulesFormat: p.rulesFormat ?? "plain",
    options: { ...DEFAULT_OPTIONS, ...p.options, randomSeed: null },
    seeded: [],
    currentRound: 0,
    championEntrantId: null,
    scheduleVersion: 0,
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
  };
  if (!doc.name) throw invalid("name", "The name is empty once markup is removed");
  if (!doc.game) throw invalid("game", "The game is empty once markup is removed");
  checkConsistency(doc, svc.settings.maxEntrantsLimit);
  const created = await svc.db.transaction(async () => {
    const t = await svc.stores.tournaments.insert(doc);
    await svc.publishDurable("tournament.created", {
      tournamentId: t.id,
      organizerId: t.organizerId,
      name: t.name,
      game: t.game,
      category: t.category,
      format: t.format,
      startsAt: t.startsAt.toISOString(),
      createdAt: t.createdAt.toISOString(),
    });
    return t;
  });
  markCreated(ctx, `/tournaments/${created.id}`);
  return toTournamentView(created, { confirmed: 0, waitlisted: 0 });
}

export async function updateTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<UpdateTournamentParams>,
): Promise<TournamentView> {
  const { id, ...changes } = ctx.params;
  return svc.db.transaction(async () => {
    const t = await lockTournament(svc, id);
    requireOrganizerOf(ctx, t);
    const editable = editableFields(t.status);
    if (editable === "none") throw new ConflictError(`A ${t.status} tournament cannot be edited`);
    const touched = (Object.keys(changes) as Array<keyof TournamentInput>).filter((k) => changes[k] !== undefined);
    const fixed = touched.filter((k) => STRUCTURAL.includes(k));
    if (editable === "details" && fixed.length > 0)
      throw new ConflictError(`${fixed.join(", ")} cannot change once registration has opened`);
    const next = { ...t };
    if (changes.name !== undefined) next.name = cleanName(changes.name);
    if (changes.game !== undefined) next.game = cleanName(changes.game);
    if (changes.category !== undefined) next.category = changes.category ? cleanName(changes.category) : null;
    for (const k of [
      "format",
      "mode",
      "teamSizeMin",
      "teamSizeMax",
      "minEntrants",
      "maxEntrants",
      "requiresApproval",
      "registrationOpensAt",
      "registrationClosesAt",
      "checkInOpensAt",
      "checkInClosesAt",
      "startsAt",
      "rulesFormat",
    ] as const) {
      if (changes[k] !== undefined) Object.assign(next, { [k]: changes[k] });
    }
    if (changes.rules !== undefined || changes.rulesFormat !== undefined)
      next.rules = cleanRules(changes.rules ?? t.rules, next.rulesFormat);
    if (changes.options) next.options = { ...t.options, ...changes.options, randomSeed: t.options.randomSeed };
    if (next.mode === "solo") Object.assign(next, { teamSizeMin: 1, teamSizeMax: 1 });
    if (!next.name) throw invalid("name", "The name is empty once markup is removed");
    if (t.status === "running" && changes.startsAt !== undefined)
      throw new ConflictError("The start time of a running tournament cannot change; reschedule matches instead");
    checkConsistency(next, svc.settings.maxEntrantsLimit);
    const { id: _id, createdAt: _c, updatedAt: _u, ...patch } = next;
    const saved = (await svc.stores.tournaments.updateById(id, patch)) as TournamentDoc;
    await svc.publishDurable("tournament.updated", tournamentUpdatedPayload(saved));
    const view = await viewOf(svc, saved);
    pushAfterCommit(svc, id, TOPIC_EVENTS.tournament, view);
    return view;
  });
}

/** Drafts are visible to their organizer and admins only: anyone else gets 404. */
export async function getTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ id: string }>,
): Promise<TournamentView> {
  const t = await loadVisibleTournament(svc, ctx, ctx.params.id);
  return viewOf(svc, t);
}

export async function loadVisibleTournament(
  svc: TournamentsThis,
  ctx: TournamentsContext,
  id: string,
): Promise<TournamentDoc> {
  const t = await loadTournament(svc, id);
  if (t.status === "draft" && !isOrganizerOf(currentUser(ctx), t)) throw new NotFoundError("Tournament", id);
  return t;
}

export async function listTournaments(
  svc: TournamentsThis,
  ctx: TournamentsContext<ListTournamentsParams>,
): Promise<TournamentPage> {
  const p = ctx.params;
  const user = currentUser(ctx);
  const limit = pageLimit(p);
  const after = p.cursor ? decodeCursor(p.cursor, 2) : null;
  // Drafts appear only in an organizer's own listing (and to admins).
  const seesDrafts = isAdmin(user) || (!!user && p.organizerId === user.id);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM tournaments
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::text IS NULL OR organizer_id = $2)
       AND ($3::text IS NULL OR lower(game) = lower($3))
       AND (status <> 'draft' OR $4::boolean)
       AND ($5::timestamptz IS NULL OR (starts_at, id) > ($5::timestamptz, $6::text))
     ORDER BY starts_at, id
     LIMIT $7`,
    [
      p.status ?? null,
      p.organizerId ?? null,
      p.game ?? null,
      seesDrafts,
      after ? String(after[0]) : null,
      after ? String(after[1]) : "",
      limit + 1,
    ],
  );
  const docs = await svc.stores.tournaments.findByIds(rows.map((r) => r.id));
  const counts = await entrantCounts(
    svc,
    docs.map((d) => d.id),
  );
  const hasMore = docs.length > limit;
  const page = hasMore ? docs.slice(0, limit) : docs;
  const last = page[page.length - 1];
  return {
    items: page.map((t) => toTournamentView(t, counts.get(t.id) ?? { confirmed: 0, waitlisted: 0 })),
    nextCursor: hasMore && last ? encodeCursor([last.startsAt.toISOString(), last.id]) : null,
  };
}

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
