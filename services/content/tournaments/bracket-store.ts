/**
 * The bracket as rows: loads a tournament's matches into the engine, applies
 * a decision (or forfeits), writes back exactly the matches that changed and
 * publishes what happened (match ready/completed, tournament completed,
 * the next Swiss round). Callers hold the tournament's row lock in a
 * transaction, so a decision is applied once whatever the concurrency.
 */
import { ConflictError } from "../../../lib/errors";
import { applyForfeits, applyOutcome, bracketFinished, eliminationChampion } from "./bracket-advance";
import { BYE, type BracketMatch } from "./bracket.types";
import { scheduleSlot, scheduledTime, upperRoundsOf } from "./schedule-slots";
import { linkLiveMatches } from "./stream-link";
import { computeStandings, swissPlayers } from "./standings";
import { defaultSwissRounds, pairSwissRound, swissRoundMatches } from "./swiss";
import type { TournamentsThis } from "./tournaments.context";
import type { MatchSideRef } from "./tournaments.events";
import type { MatchDoc, Resolution, TournamentDoc } from "./tournament.types";

export interface BracketState {
  docs: Map<string, MatchDoc>;
  engine: Map<string, BracketMatch>;
}

export interface Decision {
  key: string;
  /** null: a draw (Swiss and round robin only). */
  winner: 0 | 1 | null;
  scoreA: number | null;
  scoreB: number | null;
  resolution: Resolution;
}

export function toEngineMatch(doc: MatchDoc): BracketMatch {
  return {
    key: doc.key,
    bracket: doc.bracket,
    round: doc.round,
    position: doc.position,
    group: doc.groupNo,
    sides: [doc.sides[0], doc.sides[1]],
    status: doc.status,
    winner: doc.winner,
    winnerTo: doc.winnerTo,
    loserTo: doc.loserTo,
    resetOf: doc.resetOf,
  };
}

/**
 * The matches a decision can touch: every open (pending or ready) match, plus
 * `alsoKey`. Decided matches never change again, and a 1,000-match bracket
 * need not be read on every report; finishing a stage reloads everything.
 */
export async function loadBracket(svc: TournamentsThis, tournamentId: string, alsoKey?: string): Promise<BracketState> {
  const open = await svc.stores.matches.find({
    query: { tournamentId, status: { $in: ["pending", "ready"] } },
    sort: ["round", "position"],
  });
  const extra =
    alsoKey && !open.some((d) => d.key === alsoKey)
      ? await svc.stores.matches.find({ query: { tournamentId, key: alsoKey } })
      : [];
  return toState([...open, ...extra]);
}

async function loadWholeBracket(svc: TournamentsThis, tournamentId: string): Promise<BracketState> {
  return toState(await svc.stores.matches.find({ query: { tournamentId }, sort: ["round", "position"] }));
}

function toState(docs: MatchDoc[]): BracketState {
  return {
    docs: new Map(docs.map((d) => [d.key, d])),
    engine: new Map(docs.map((d) => [d.key, toEngineMatch(d)])),
  };
}

export async function disqualifiedEntrants(svc: TournamentsThis, tournamentId: string): Promise<Set<string>> {
  const rows = await svc.stores.entrants.find({ query: { tournamentId, status: "disqualified" } });
  return new Set(rows.map((e) => e.id));
}

/** User ids of each entrant (player or captain, then roster), for event payloads. */
export async function membersOf(svc: TournamentsThis, entrantIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (entrantIds.length === 0) return out;
  for (const e of await svc.stores.entrants.findByIds(entrantIds)) out.set(e.id, [e.userId, ...e.roster]);
  return out;
}

/** New match rows for engine matches, scheduled from the tournament's start. */
export function newMatchRows(t: TournamentDoc, matches: readonly BracketMatch[], upperRounds: number) {
  return matches.map((m) => ({
    tournamentId: t.id,
    key: m.key,
    bracket: m.bracket,
    round: m.round,
    position: m.position,
    groupNo: m.group,
    sides: m.sides,
    status: m.status,
    winner: m.winner,
    winnerTo: m.winnerTo,
    loserTo: m.loserTo,
    resetOf: m.resetOf,
    disputed: false,
    resolution: m.status === "bye" ? ("bye" as const) : null,
    completedAt: m.status === "bye" ? new Date() : null,
    scheduledAt: scheduledTime(t.startsAt, scheduleSlot(m, upperRounds), t.options.roundMinutes),
    version: 0,
  }));
}

/** Publishes match.ready for matches whose two sides are now known. */
export async function publishReady(svc: TournamentsThis, docs: MatchDoc[]): Promise<void> {
  const ready = docs.filter((d) => d.status === "ready");
  if (ready.length === 0) return;
  const ids = ready.flatMap((d) => d.sides.filter((s): s is string => s !== null && s !== BYE));
  const members = await membersOf(svc, [...new Set(ids)]);
  for (const d of ready) {
    const side = (i: 0 | 1): MatchSideRef => ({
      entrantId: d.sides[i] as string,
      memberIds: members.get(d.sides[i] as string) ?? [],
    });
    await svc.publishDurable("tournament.match.ready", {
      tournamentId: d.tournamentId,
      matchId: d.id,
      key: d.key,
      round: d.round,
      sides: [side(0), side(1)],
      scheduledAt: d.scheduledAt?.toISOString() ?? null,
      channelId: d.channelId,
    });
  }
}

function realSide(m: BracketMatch, i: 0 | 1): string | null {
  const s = m.sides[i];
  return s === null || s === BYE ? null : s;
}

/**
 * Applies a decision or new forfeits and everything that follows from it.
 * Returns every match row written (changed or created), for live updates.
 */
export async function advanceBracket(
  svc: TournamentsThis,
  t: TournamentDoc,
  state: BracketState,
  change: { decision?: Decision; forfeits: Set<string> },
): Promise<MatchDoc[]> {
  const before = new Map([...state.engine.values()].map((m) => [m.key, m.status]));
  const { decision, forfeits } = change;
  let changedKeys: string[];
  if (decision && decision.winner === null) {
    const m = state.engine.get(decision.key) as BracketMatch;
    if (m.winnerTo || m.loserTo) throw new ConflictError("An elimination match cannot end in a draw");
    m.status = "completed";
    changedKeys = [m.key];
  } else if (decision) {
    changedKeys = applyOutcome(state.engine, decision.key, decision.winner as 0 | 1, forfeits);
  } else {
    changedKeys = applyForfeits(state.engine, forfeits);
  }

  const now = new Date();
  const written: MatchDoc[] = [];
  const eliminated: string[] = [];
  const completedEvents: Array<{ doc: MatchDoc; m: BracketMatch }> = [];
  for (const key of changedKeys) {
    const m = state.engine.get(key) as BracketMatch;
    const doc = state.docs.get(key) as MatchDoc;
    const wasOpen = before.get(key) === "pending" || before.get(key) === "ready";
    const decided = wasOpen && (m.status === "completed" || m.status === "bye");
    const patch: Partial<MatchDoc> = { sides: m.sides, status: m.status, winner: m.winner, version: doc.version + 1 };
    if (decision && key === decision.key) {
      Object.assign(patch, {
        scoreA: decision.scoreA,
        scoreB: decision.scoreB,
        resolution: decision.resolution,
        disputed: false,
        completedAt: now,
      });
    } else if (decided) {
      Object.assign(patch, { resolution: m.status === "bye" ? "bye" : "disqualified", completedAt: now });
    }
    const updated = (await svc.stores.matches.updateById(doc.id, patch)) as MatchDoc;
    state.docs.set(key, updated);
    written.push(updated);
    if (decided && m.status === "completed") {
      completedEvents.push({ doc: updated, m });
      const loser = m.winner === null ? null : realSide(m, m.winner === 0 ? 1 : 0);
      if (loser && !m.loserTo && m.bracket !== "group" && m.bracket !== "swiss") eliminated.push(loser);
    }
  }
  for (const { doc, m } of completedEvents) {
    await svc.publishDurable("tournament.match.completed", {
      tournamentId: t.id,
      matchId: doc.id,
      key: doc.key,
      round: doc.round,
      winnerEntrantId: m.winner === null ? null : realSide(m, m.winner),
      loserEntrantId: m.winner === null ? null : realSide(m, m.winner === 0 ? 1 : 0),
      scoreA: doc.scoreA,
      scoreB: doc.scoreB,
      resolution: doc.resolution ?? "reported",
      completedAt: now.toISOString(),
    });
  }
  const nowReady = written.filter((d) => d.status === "ready" && before.get(d.key) !== "ready");
  await publishReady(svc, nowReady);
  // A match assigned to a channel ahead of time goes on air as soon as it can be played.
  for (const linked of await linkLiveMatches(svc, nowReady)) {
    state.docs.set(linked.key, linked);
    written[written.findIndex((d) => d.id === linked.id)] = linked;
  }
  if (eliminated.length > 0)
    await svc.db.query(
      "UPDATE entrants SET status = 'eliminated', updated_at = now() WHERE id = ANY($1::text[]) AND status = 'confirmed'",
      [eliminated],
    );
  if (bracketFinished(state.engine.values()))
    written.push(...(await finishStage(svc, t, await loadWholeBracket(svc, t.id), forfeits)));
  return written;
}

/** Everything decided: the next Swiss round, or the end of the tournament. */
async function finishStage(
  svc: TournamentsThis,
  t: TournamentDoc,
  state: BracketState,
  out: Set<string>,
): Promise<MatchDoc[]> {
  const all = [...state.engine.values()];
  if (t.format === "swiss") {
    const rounds = t.options.swissRounds ?? defaultSwissRounds(t.seeded.length);
    const players = swissPlayers(t.seeded, all, out);
    if (t.currentRound < rounds && players.length >= 2) {
      const round = t.currentRound + 1;
      const created = swissRoundMatches(round, pairSwissRound(players), BYE);
      const rows = await svc.stores.matches.insertMany(newMatchRows(t, created, upperRoundsOf(all)));
      for (const d of rows) {
        state.docs.set(d.key, d);
        state.engine.set(d.key, toEngineMatch(d));
      }
      await svc.stores.tournaments.updateById(t.id, { currentRound: round });
      t.currentRound = round;
      await publishReady(svc, rows);
      return rows;
    }
  }
  const champion =
    t.format === "single_elimination" || t.format === "double_elimination"
      ? eliminationChampion(all)
      : (computeStandings(
          t.seeded.filter((id) => !out.has(id)),
          all,
        )[0]?.entrantId ?? null);
  const completedAt = new Date();
  await svc.stores.tournaments.updateById(t.id, { status: "completed", completedAt, championEntrantId: champion });
  Object.assign(t, { status: "completed", completedAt, championEntrantId: champion });
  await svc.publishDurable("tournament.completed", {
    tournamentId: t.id,
    name: t.name,
    championEntrantId: champion,
    completedAt: completedAt.toISOString(),
  });
  return [];
}
