/**
 * Bracket-engine figures: a 1,024-entrant double-elimination bracket against
 * a 1,024-entrant single-elimination one (the baseline), and Swiss pairing of
 * 1,024 players in round 1 and in round 10 (after nine played rounds, when
 * avoiding rematches is hardest) against plain rank-order pairing (the
 * baseline: what pairing costs without any rematch avoidance).
 */
import { BYE, type BracketMatch } from "../../services/content/tournaments/bracket.types";
import { doubleElimination, singleElimination } from "../../services/content/tournaments/elimination";
import { seededRandom } from "../../services/content/tournaments/seeding";
import { swissPlayers } from "../../services/content/tournaments/standings";
import {
  pairSwissRound,
  swissRoundMatches,
  type SwissPairing,
  type SwissPlayer,
} from "../../services/content/tournaments/swiss";

export interface EngineRow {
  what: string;
  medianMs: number;
  p90Ms: number;
  baseline: string;
  baselineMedianMs: number;
  goalMs: number | null;
  detail: string;
}

function timeRuns(runs: number, fn: () => void): { median: number; p90: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] as number,
    p90: times[Math.floor(times.length * 0.9)] as number,
  };
}

/** Rank-order pairing, no rematch check: the cheapest pairing there is. */
function naivePairing(players: readonly SwissPlayer[]): SwissPairing {
  const ranked = [...players].sort((a, b) => b.score - a.score || b.buchholz - a.buchholz || a.seed - b.seed);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < ranked.length; i += 2) pairs.push([ranked[i]!.id, ranked[i + 1]!.id]);
  return { pairs, bye: ranked.length % 2 ? ranked[ranked.length - 1]!.id : null, rematches: 0 };
}

/** Nine random rounds of Swiss; returns the played matches. */
function playedSwiss(ids: string[], rounds: number): BracketMatch[] {
  const random = seededRandom(2026);
  const matches: BracketMatch[] = [];
  for (let r = 1; r <= rounds; r++) {
    const round = swissRoundMatches(r, pairSwissRound(swissPlayers(ids, matches)), BYE);
    for (const m of round) {
      if (m.status !== "ready") continue;
      m.status = "completed";
      m.winner = random() < 0.5 ? 0 : 1;
    }
    matches.push(...round);
  }
  return matches;
}

export function runEngineBench(runs: number): EngineRow[] {
  const ids = Array.from({ length: 1024 }, (_, i) => `p${i + 1}`);
  const rows: EngineRow[] = [];
  // Warm-up: JIT the code paths before measuring.
  for (let i = 0; i < 3; i++) {
    doubleElimination(ids, { grandFinalReset: true });
    singleElimination(ids);
  }
  const de = timeRuns(runs, () => doubleElimination(ids, { grandFinalReset: true }));
  const se = timeRuns(runs, () => singleElimination(ids));
  const deMatches = doubleElimination(ids, { grandFinalReset: true }).length;
  rows.push({
    what: "double elimination, 1,024 entrants (generate)",
    medianMs: de.median,
    p90Ms: de.p90,
    baseline: "single elimination, 1,024",
    baselineMedianMs: se.median,
    goalMs: 100,
    detail: `${deMatches} matches`,
  });
  const fresh = swissPlayers(ids, []);
  const r1 = timeRuns(runs, () => pairSwissRound(fresh));
  const r1Base = timeRuns(runs, () => naivePairing(fresh));
  rows.push({
    what: "Swiss round 1, 1,024 players (pair)",
    medianMs: r1.median,
    p90Ms: r1.p90,
    baseline: "rank-order pairing",
    baselineMedianMs: r1Base.median,
    goalMs: 250,
    detail: `${pairSwissRound(fresh).pairs.length} pairs`,
  });
  const history = playedSwiss(ids, 9);
  const late = swissPlayers(ids, history);
  const r10 = timeRuns(runs, () => pairSwissRound(late));
  const r10Base = timeRuns(runs, () => naivePairing(late));
  const pairing = pairSwissRound(late);
  const naive = naivePairing(late);
  const naiveRematches = naive.pairs.filter(([a, b]) => late.find((p) => p.id === a)!.opponents.has(b)).length;
  rows.push({
    what: "Swiss round 10, 1,024 players (pair)",
    medianMs: r10.median,
    p90Ms: r10.p90,
    baseline: "rank-order pairing",
    baselineMedianMs: r10Base.median,
    goalMs: 250,
    detail: `${pairing.rematches} rematches (rank-order pairing: ${naiveRematches})`,
  });
  const full = timeRuns(Math.max(3, Math.floor(runs / 3)), () => pairSwissRound(swissPlayers(ids, history)));
  rows.push({
    what: "Swiss round 10, 1,024 players (standings + pair)",
    medianMs: full.median,
    p90Ms: full.p90,
    baseline: "pairing alone",
    baselineMedianMs: r10.median,
    goalMs: 250,
    detail: `${history.length} matches of history`,
  });
  return rows;
}
