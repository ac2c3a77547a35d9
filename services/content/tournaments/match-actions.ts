/**
 * Results. Each side reports a score; the second report confirms the first
 * when they agree (the bracket advances) or opens a dispute when they do
 * not, which the organizer settles with an override. Organizers may also
 * override at any time before a match is decided, mark a no-show, or
 * disqualify an entrant (who forfeits every match now and later).
 *
 * Everything runs under the tournament's row lock: two concurrent reports,
 * or a report racing an override, are applied one after the other, and the
 * second finds the match decided (409) instead of advancing it again.
 */
import { requireUser } from "../../../lib/auth/ownership";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { advanceBracket, disqualifiedEntrants, loadBracket, type Decision } from "./bracket-store";
import { matchViews } from "./bracket-read";
import { pushLazilyAfterCommit } from "./live-updates";
import { loadTournament, lockTournament, requireOrganizerOf } from "./tournament-access";
import { viewOf } from "./tournament-read";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS } from "./tournaments.events";
import type { EntrantDoc, MatchDoc, MatchView, ScoreReport, TournamentDoc } from "./tournament.types";

export interface MatchRefParams {
  id: string;
  matchId: string;
}
export interface ReportParams extends MatchRefParams {
  scoreA: number;
  scoreB: number;
}
export interface OverrideParams extends MatchRefParams {
  scoreA?: number;
  scoreB?: number;
  winner?: "a" | "b" | "draw";
}
export interface NoShowParams extends MatchRefParams {
  side: "a" | "b";
}
export interface DisqualifyParams {
  id: string;
  entrantId: string;
}

const isElimination = (t: TournamentDoc): boolean =>
  t.format === "single_elimination" || t.format === "double_elimination";

async function loadMatch(svc: TournamentsThis, t: TournamentDoc, matchId: string): Promise<MatchDoc> {
  const m = await svc.stores.matches.findById(matchId);
  if (!m || m.tournamentId !== t.id) throw new NotFoundError("Match", matchId);
  return m;
}

function requireRunning(t: TournamentDoc): void {
  if (t.status !== "running") throw new ConflictError(`The tournament is ${t.status}, not running`);
}

function requireReady(m: MatchDoc): void {
  if (m.status !== "ready")
    throw new ConflictError(
      m.status === "pending" ? "This match is not ready yet" : `This match is already ${m.status}`,
    );
}

function winnerOf(scoreA: number, scoreB: number): 0 | 1 | null {
  return scoreA === scoreB ? null : scoreA > scoreB ? 0 : 1;
}

/** Decides a match, advances the bracket and queues the live update; returns the match as it now is. */
async function decide(svc: TournamentsThis, t: TournamentDoc, decision: Decision): Promise<MatchDoc[]> {
  if (decision.winner === null && isElimination(t))
    throw new ValidationError("An elimination match needs a winner", [{ field: "scoreA", message: "draw" }]);
  const state = await loadBracket(svc, t.id, decision.key);
  const written = await advanceBracket(svc, t, state, { decision, forfeits: await disqualifiedEntrants(svc, t.id) });
  await pushChanges(svc, t, written);
  return written;
}

async function pushChanges(svc: TournamentsThis, t: TournamentDoc, written: MatchDoc[]): Promise<void> {
  if (!svc.settings.liveUpdates || written.length === 0) return;
  pushLazilyAfterCommit(svc, t.id, TOPIC_EVENTS.matches, async () => ({ matches: await matchViews(svc, written) }));
  // The tournament itself changed when it ended or a new (Swiss) round was created (version 0 rows).
  if (t.status === "completed" || written.some((m) => m.version === 0)) {
    const snapshot = { ...t };
    pushLazilyAfterCommit(svc, t.id, TOPIC_EVENTS.tournament, () => viewOf(svc, snapshot));
  }
}

async function present(svc: TournamentsThis, matchId: string): Promise<MatchView> {
  const m = (await svc.stores.matches.findById(matchId)) as MatchDoc;
  return (await matchViews(svc, [m]))[0] as MatchView;
}

/** The tournament's decisions on this node queue in memory, then each takes the row lock in its own transaction. */
function decisionTransaction(svc: TournamentsThis, tournamentId: string, fn: () => Promise<void>): Promise<void> {
  return svc.decisions.run(tournamentId, () => svc.db.transaction(fn));
}

/** Which side (0/1) the caller plays on, through any entrant they are a member of. */
async function callerSide(svc: TournamentsThis, t: TournamentDoc, m: MatchDoc, userId: string): Promise<0 | 1> {
  const member = await svc.stores.members.findById(`${t.id}:${userId}`);
  const entrantId = member?.entrantId;
  if (entrantId && m.sides[0] === entrantId) return 0;
  if (entrantId && m.sides[1] === entrantId) return 1;
  throw new ForbiddenError("Only the two sides of a match report its result");
}

/**
 * A first report only records itself: one conditional UPDATE that holds no
 * tournament lock (and fails over to the locked path if the other side
 * reported meanwhile). The second report, which may decide the match and
 * advance the bracket, runs under the tournament's row lock.
 */
export async function reportResult(svc: TournamentsThis, ctx: TournamentsContext<ReportParams>): Promise<MatchView> {
  const user = requireUser(ctx);
  const { scoreA, scoreB } = ctx.params;
  const t0 = await loadTournament(svc, ctx.params.id);
  const m0 = await loadMatch(svc, t0, ctx.params.matchId);
  const side0 = await callerSide(svc, t0, m0, user.id);
  requireRunning(t0);
  requireReady(m0);
  if (scoreA === scoreB && isElimination(t0))
    throw new ValidationError("An elimination match needs a winner", [{ field: "scoreA", message: "draw" }]);
  const report: ScoreReport = { scoreA, scoreB, by: user.id, at: new Date().toISOString() };
  if ((side0 === 0 ? m0.reportB : m0.reportA) === null) {
    const [own, other] = side0 === 0 ? ["report_a", "report_b"] : ["report_b", "report_a"];
    const recorded = await svc.db.query<{ id: string }>(
      `UPDATE matches SET ${own} = $1::jsonb, version = version + 1, updated_at = now()
       WHERE id = $2 AND status = 'ready' AND ${other} IS NULL
         AND EXISTS (SELECT 1 FROM tournaments WHERE id = $3 AND status = 'running')
       RETURNING id`,
      [JSON.stringify(report), m0.id, t0.id],
    );
    if (recorded.length === 1) {
      const updated = (await svc.stores.matches.findById(m0.id)) as MatchDoc;
      await pushChanges(svc, t0, [updated]);
      return (await matchViews(svc, [updated]))[0] as MatchView;
    }
  }
  await decisionTransaction(svc, ctx.params.id, async () => {
    const t = await lockTournament(svc, ctx.params.id);
    const m = await loadMatch(svc, t, ctx.params.matchId);
    const side = await callerSide(svc, t, m, user.id);
    requireRunning(t);
    requireReady(m);
    const other = side === 0 ? m.reportB : m.reportA;
    if (other && other.scoreA === scoreA && other.scoreB === scoreB) {
      await svc.stores.matches.updateById(m.id, side === 0 ? { reportA: report } : { reportB: report });
      await decide(svc, t, { key: m.key, winner: winnerOf(scoreA, scoreB), scoreA, scoreB, resolution: "reported" });
      return;
    }
    const updated = (await svc.stores.matches.updateById(m.id, {
      ...(side === 0 ? { reportA: report } : { reportB: report }),
      disputed: other !== null,
      version: m.version + 1,
    })) as MatchDoc;
    await pushChanges(svc, t, [updated]);
  });
  return present(svc, ctx.params.matchId);
}

export async function overrideResult(
  svc: TournamentsThis,
  ctx: TournamentsContext<OverrideParams>,
): Promise<MatchView> {
  const p = ctx.params;
  await decisionTransaction(svc, p.id, async () => {
    const t = await lockTournament(svc, p.id);
    requireOrganizerOf(ctx, t);
    const m = await loadMatch(svc, t, p.matchId);
    requireRunning(t);
    requireReady(m);
    const hasScores = p.scoreA !== undefined && p.scoreB !== undefined;
    if (!hasScores && !p.winner)
      throw new ValidationError("Give scoreA and scoreB, or a winner", [{ field: "winner", message: "required" }]);
    const fromScores = hasScores ? winnerOf(p.scoreA as number, p.scoreB as number) : undefined;
    const named = p.winner === undefined ? undefined : p.winner === "draw" ? null : p.winner === "a" ? 0 : 1;
    if (fromScores !== undefined && named !== undefined && fromScores !== named)
      throw new ValidationError("The winner contradicts the scores", [{ field: "winner", message: "mismatch" }]);
    const winner = named !== undefined ? named : (fromScores as 0 | 1 | null);
    await decide(svc, t, {
      key: m.key,
      winner,
      scoreA: p.scoreA ?? null,
      scoreB: p.scoreB ?? null,
      resolution: "override",
    });
  });
  return present(svc, p.matchId);
}

export async function markNoShow(svc: TournamentsThis, ctx: TournamentsContext<NoShowParams>): Promise<MatchView> {
  const p = ctx.params;
  await svc.db.transaction(async () => {
    const t = await lockTournament(svc, p.id);
    requireOrganizerOf(ctx, t);
    const m = await loadMatch(svc, t, p.matchId);
    requireRunning(t);
    requireReady(m);
    await decide(svc, t, {
      key: m.key,
      winner: p.side === "a" ? 1 : 0,
      scoreA: null,
      scoreB: null,
      resolution: "no_show",
    });
  });
  return present(svc, p.matchId);
}

/** The entrant forfeits every ready match now and every match they would reach later. */
export async function disqualify(
  svc: TournamentsThis,
  ctx: TournamentsContext<DisqualifyParams>,
): Promise<{ entrantId: string; status: "disqualified"; matches: MatchView[] }> {
  const p = ctx.params;
  const written = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, p.id);
    requireOrganizerOf(ctx, t);
    requireRunning(t);
    const e = await svc.stores.entrants.findById(p.entrantId);
    if (!e || e.tournamentId !== t.id) throw new NotFoundError("Entrant", p.entrantId);
    if (!t.seeded.includes(e.id)) throw new ConflictError("This entrant is not playing");
    if (e.status === "disqualified") throw new ConflictError("This entrant is already disqualified");
    await svc.stores.entrants.updateById(e.id, { status: "disqualified" } as Partial<EntrantDoc>);
    const forfeits = await disqualifiedEntrants(svc, t.id);
    const state = await loadBracket(svc, t.id);
    const changed = await advanceBracket(svc, t, state, { forfeits });
    await pushChanges(svc, t, changed);
    return changed;
  });
  return {
    entrantId: p.entrantId,
    status: "disqualified",
    matches: await matchViews(svc, written),
  };
}
