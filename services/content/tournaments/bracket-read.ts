/** Public reads: the bracket, paged matches, standings, the schedule (JSON and iCalendar). */
import { currentUser } from "../../../lib/auth/ownership";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { BYE, type BracketMatch } from "./bracket.types";
import { toEngineMatch } from "./bracket-store";
import { renderCalendar, type CalendarEvent } from "../../../lib/calendar/ical";
import { scheduleSlot, upperRoundsOf } from "./schedule-slots";
import { computeStandings } from "./standings";
import { isOrganizerOf } from "./tournament-access";
import { loadVisibleTournament, viewOf } from "./tournament-read";
import { entrantName, toMatchView } from "./tournament-view";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import type { EntrantDoc, MatchDoc, MatchView, TournamentDoc, TournamentView } from "./tournament.types";

export interface BracketView {
  tournament: TournamentView;
  matches: MatchView[];
}
export interface ListMatchesParams extends CursorPageParams {
  id: string;
  round?: number;
  status?: MatchDoc["status"];
}
export type MatchPage = CursorPage<MatchView>;

export interface StandingView {
  rank: number;
  entrantId: string;
  name: string;
  status: EntrantDoc["status"];
  points: number | null;
  wins: number;
  losses: number;
  draws: number;
  buchholz: number | null;
  headToHead: number | null;
}

export interface ScheduleView {
  tournament: TournamentView;
  /** Bumped whenever a match time changes. */
  version: number;
  matches: MatchView[];
}

async function liveSessionIds(svc: TournamentsThis, docs: readonly MatchDoc[]): Promise<Set<string>> {
  const ids = [...new Set(docs.map((d) => d.liveSessionId).filter((s): s is string => s !== null))];
  if (ids.length === 0) return new Set();
  const live = await svc.stores.channelSessions.find({ query: { id: { $in: ids }, endedAt: null } });
  return new Set(live.map((s) => s.id));
}

async function namesOf(svc: TournamentsThis, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].filter((id) => id !== BYE);
  const entrants = unique.length > 0 ? await svc.stores.entrants.findByIds(unique) : [];
  return new Map(entrants.map((e) => [e.id, entrantName(e)]));
}

export async function matchViews(svc: TournamentsThis, docs: readonly MatchDoc[]): Promise<MatchView[]> {
  const names = await namesOf(
    svc,
    docs.flatMap((d) => d.sides.filter((s): s is string => s !== null)),
  );
  const live = await liveSessionIds(svc, docs);
  return docs.map((d) => toMatchView(d, names, live));
}

async function allMatches(svc: TournamentsThis, tournamentId: string): Promise<MatchDoc[]> {
  return svc.stores.matches.find({ query: { tournamentId }, sort: ["round", "position", "key"] });
}

export async function getBracket(svc: TournamentsThis, ctx: TournamentsContext<{ id: string }>): Promise<BracketView> {
  const t = await loadVisibleTournament(svc, ctx, ctx.params.id);
  return { tournament: await viewOf(svc, t), matches: await matchViews(svc, await allMatches(svc, t.id)) };
}

export async function listMatches(
  svc: TournamentsThis,
  ctx: TournamentsContext<ListMatchesParams>,
): Promise<MatchPage> {
  const p = ctx.params;
  await loadVisibleTournament(svc, ctx, p.id);
  const limit = pageLimit(p);
  const after = p.cursor ? decodeCursor(p.cursor, 2) : null;
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM matches
     WHERE tournament_id = $1
       AND ($2::int IS NULL OR round = $2)
       AND ($3::text IS NULL OR status = $3)
       AND ($4::int IS NULL OR (round, key) > ($4::int, $5::text))
     ORDER BY round, key LIMIT $6`,
    [
      p.id,
      p.round ?? null,
      p.status ?? null,
      after ? Number(after[0]) : null,
      after ? String(after[1]) : "",
      limit + 1,
    ],
  );
  const docs = await svc.stores.matches.findByIds(rows.map((r) => r.id));
  const hasMore = docs.length > limit;
  const page = hasMore ? docs.slice(0, limit) : docs;
  const last = page[page.length - 1];
  return {
    items: await matchViews(svc, page),
    nextCursor: hasMore && last ? encodeCursor([last.round, last.key]) : null,
  };
}

/**
 * Swiss and round robin: points, Buchholz, head-to-head, seed (standings.ts).
 * Elimination: champion first, then by how far each entrant went (the
 * schedule slot of the last match they played), the final's loser second,
 * a third-place winner ahead of its loser; ties by seed.
 */
export async function getStandings(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ id: string }>,
): Promise<{ items: StandingView[] }> {
  const t = await loadVisibleTournament(svc, ctx, ctx.params.id);
  if (t.seeded.length === 0) return { items: [] };
  const docs = await allMatches(svc, t.id);
  const engine = docs.map(toEngineMatch);
  const entrants = new Map((await svc.stores.entrants.findByIds(t.seeded)).map((e) => [e.id, e]));
  const row = (entrantId: string) => ({
    entrantId,
    name: entrants.get(entrantId) ? entrantName(entrants.get(entrantId) as EntrantDoc) : entrantId,
    status: entrants.get(entrantId)?.status ?? "confirmed",
  });
  if (t.format === "swiss" || t.format === "round_robin") {
    return {
      items: computeStandings(t.seeded, engine).map((r) => ({
        ...row(r.entrantId),
        rank: r.rank,
        points: r.points,
        wins: r.wins,
        losses: r.losses,
        draws: r.draws,
        buchholz: r.buchholz,
        headToHead: r.headToHead,
      })),
    };
  }
  return { items: eliminationStandings(t, engine).map((r) => ({ ...row(r.entrantId), ...r })) };
}

function eliminationStandings(t: TournamentDoc, engine: BracketMatch[]) {
  const upper = upperRoundsOf(engine);
  const depth = new Map<string, number>();
  const record = new Map<string, { wins: number; losses: number }>();
  for (const m of engine) {
    if (m.status !== "completed" || m.winner === null) continue;
    const slot = scheduleSlot(m, upper);
    const isFinal = m.bracket === "grand_final" || (m.bracket === "winners" && m.round === upper);
    m.sides.forEach((s, i) => {
      if (s === null || s === BYE) return;
      const won = i === m.winner;
      const r = record.get(s) ?? { wins: 0, losses: 0 };
      if (won) r.wins++;
      else r.losses++;
      record.set(s, r);
      // The final's loser is second; a third-place match (same slot) ranks its winner above its loser.
      const bonus = isFinal ? 0.5 : m.bracket === "third_place" && won ? 0.25 : 0;
      depth.set(s, Math.max(depth.get(s) ?? -1, slot + bonus));
    });
  }
  const ranked = [...t.seeded].sort((a, b) => {
    if (a === t.championEntrantId) return -1;
    if (b === t.championEntrantId) return 1;
    return (depth.get(b) ?? -1) - (depth.get(a) ?? -1) || t.seeded.indexOf(a) - t.seeded.indexOf(b);
  });
  return ranked.map((entrantId, i) => ({
    entrantId,
    rank: i + 1,
    points: null,
    wins: record.get(entrantId)?.wins ?? 0,
    losses: record.get(entrantId)?.losses ?? 0,
    draws: 0,
    buchholz: null,
    headToHead: null,
  }));
}

export async function getSchedule(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ id: string }>,
): Promise<ScheduleView> {
  const t = await loadVisibleTournament(svc, ctx, ctx.params.id);
  const docs = (await allMatches(svc, t.id))
    .filter((d) => d.status !== "bye" && d.status !== "skipped")
    .sort((a, b) => (a.scheduledAt?.getTime() ?? 0) - (b.scheduledAt?.getTime() ?? 0) || a.round - b.round);
  return { tournament: await viewOf(svc, t), version: t.scheduleVersion, matches: await matchViews(svc, docs) };
}

/** The schedule as an iCalendar feed calendar apps subscribe to (RFC 5545). */
export async function scheduleIcs(svc: TournamentsThis, ctx: TournamentsContext<{ id: string }>): Promise<string> {
  const t = await loadVisibleTournament(svc, ctx, ctx.params.id);
  const docs = (await allMatches(svc, t.id)).filter((d) => d.status !== "bye" && d.status !== "skipped");
  const names = await namesOf(
    svc,
    docs.flatMap((d) => d.sides.filter((s): s is string => s !== null)),
  );
  const minutes = t.options.roundMinutes;
  const side = (s: string | null) => (s === null ? "TBD" : (names.get(s) ?? "TBD"));
  const events: CalendarEvent[] = [
    {
      uid: `tournament-${t.id}@arena`,
      start: t.startsAt,
      end: new Date(t.startsAt.getTime() + minutes * 60_000),
      summary: `${t.name} starts`,
      description: `${t.game} · ${t.format.replace(/_/g, " ")}`,
      sequence: t.scheduleVersion,
      updatedAt: t.updatedAt,
      cancelled: t.status === "cancelled",
    },
    ...docs
      .filter((d) => d.scheduledAt !== null)
      .map((d) => ({
        uid: `match-${d.id}@arena`,
        start: d.scheduledAt as Date,
        end: new Date((d.scheduledAt as Date).getTime() + minutes * 60_000),
        summary: `${t.name}: ${side(d.sides[0])} vs ${side(d.sides[1])} (${d.key})`,
        description: `Round ${d.round}${d.channelId ? ` · on channel ${d.channelId}` : ""}`,
        sequence: t.scheduleVersion,
        updatedAt: d.updatedAt,
        cancelled: t.status === "cancelled",
      })),
  ];
  const meta = ctx.meta as { $responseType?: string; $responseHeaders?: Record<string, string> };
  meta.$responseType = "text/calendar; charset=utf-8";
  meta.$responseHeaders = {
    "Content-Disposition": `inline; filename="tournament-${t.id}.ics"`,
    // Drafts are visible to their organizer only: never cache those publicly.
    "Cache-Control":
      isOrganizerOf(currentUser(ctx), t) && t.status === "draft" ? "private, no-store" : "public, max-age=60",
  };
  return renderCalendar(`-//Arena//Tournament ${t.id}//EN`, t.name, events);
}
