/**
 * Swiss pairing: players meet others on the same score, never the same
 * opponent twice while that can be avoided.
 *
 * Players are ranked by score, then Buchholz, then seed; the odd one out
 * (lowest-ranked player who has not had one) gets a bye worth a win. The
 * pairing is a depth-first search from the top: each player takes the
 * nearest-ranked opponent they have not met, backtracking when a later
 * player would be left without one. The search is complete, so a rematch
 * happens only when no rematch-free pairing exists; it is bounded by a step
 * budget, past which (pathological late rounds) the remaining players are
 * paired in rank order, rematches allowed.
 */
import type { BracketMatch } from "./bracket.types";

export interface SwissPlayer {
  id: string;
  /** 1-based seed: the tie-break of last resort. */
  seed: number;
  score: number;
  buchholz: number;
  opponents: ReadonlySet<string>;
  hadBye: boolean;
}

export interface SwissPairing {
  pairs: Array<[string, string]>;
  bye: string | null;
  /** Pairs that repeat an earlier meeting (only when unavoidable or the search gave up). */
  rematches: number;
}

const SEARCH_BUDGET = 200_000;

function rankOrder(a: SwissPlayer, b: SwissPlayer): number {
  return b.score - a.score || b.buchholz - a.buchholz || a.seed - b.seed;
}

function chooseBye(ranked: SwissPlayer[]): SwissPlayer | null {
  if (ranked.length % 2 === 0) return null;
  for (let i = ranked.length - 1; i >= 0; i--) if (!(ranked[i] as SwissPlayer).hadBye) return ranked[i] as SwissPlayer;
  return ranked[ranked.length - 1] as SwissPlayer;
}

export function pairSwissRound(players: readonly SwissPlayer[]): SwissPairing {
  const ranked = [...players].sort(rankOrder);
  const bye = chooseBye(ranked);
  const pool = bye ? ranked.filter((p) => p !== bye) : ranked;
  const n = pool.length;
  const paired = new Uint8Array(n);
  const partner = new Int32Array(n).fill(-1);
  let steps = 0;

  // Everyone ranked above the first unpaired player is paired, so the search resumes from there.
  const search = (from: number): boolean => {
    let i = from;
    while (i < n && paired[i]) i++;
    if (i === n) return true;
    if (++steps > SEARCH_BUDGET) return false;
    const p = pool[i] as SwissPlayer;
    paired[i] = 1;
    for (let j = i + 1; j < n; j++) {
      if (paired[j] || p.opponents.has((pool[j] as SwissPlayer).id)) continue;
      paired[j] = 1;
      partner[i] = j;
      if (search(i + 1)) return true;
      paired[j] = 0;
      partner[i] = -1;
      if (steps > SEARCH_BUDGET) break;
    }
    paired[i] = 0;
    return false;
  };

  const pairs: Array<[string, string]> = [];
  let rematches = 0;
  if (search(0)) {
    for (let i = 0; i < n; i++) {
      const j = partner[i] as number;
      if (j >= 0) pairs.push([(pool[i] as SwissPlayer).id, (pool[j] as SwissPlayer).id]);
    }
  } else {
    // No rematch-free pairing (or budget spent): pair greedily, preferring new opponents, then rank order.
    const left = [...pool];
    while (left.length > 1) {
      const p = left.shift() as SwissPlayer;
      let k = left.findIndex((q) => !p.opponents.has(q.id));
      if (k < 0) {
        k = 0;
        rematches++;
      }
      const [q] = left.splice(k, 1) as [SwissPlayer];
      pairs.push([p.id, q.id]);
    }
  }
  return { pairs, bye: bye?.id ?? null, rematches };
}

/** Matches of Swiss round `round` (a bye is a decided match against BYE). */
export function swissRoundMatches(round: number, pairing: SwissPairing, byeMarker: string): BracketMatch[] {
  const base = { bracket: "swiss" as const, round, group: null, winnerTo: null, loserTo: null, resetOf: null };
  const matches: BracketMatch[] = pairing.pairs.map(([a, b], i) => ({
    ...base,
    key: `S${round}-${i + 1}`,
    position: i + 1,
    sides: [a, b],
    status: "ready",
    winner: null,
  }));
  if (pairing.bye)
    matches.push({
      ...base,
      key: `S${round}-${matches.length + 1}`,
      position: matches.length + 1,
      sides: [pairing.bye, byeMarker],
      status: "bye",
      winner: 0,
    });
  return matches;
}

/** ceil(log2 n): enough rounds for a single undefeated winner. */
export function defaultSwissRounds(entrants: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, entrants))));
}
