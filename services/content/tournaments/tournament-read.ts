/**
 * Reading tournaments: one (drafts hidden from all but their organizer and
 * admins), a page of them, and the entrant counts every view carries. The
 * writes and lifecycle moves elsewhere answer with viewOf, so it lives here.
 */
import { currentUser, isAdmin } from "../../../lib/auth/ownership";
import { NotFoundError } from "../../../lib/errors";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import type { TournamentStatus } from "./lifecycle";
import { isOrganizerOf, loadTournament } from "./tournament-access";
import { toTournamentView } from "./tournament-view";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import type { TournamentDoc, TournamentView } from "./tournament.types";

export interface ListTournamentsParams extends CursorPageParams {
  status?: TournamentStatus;
  organizerId?: string;
  game?: string;
}
export type TournamentPage = CursorPage<TournamentView>;

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
