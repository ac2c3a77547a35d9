/**
 * Single and double elimination brackets for any number of entrants (2+).
 * The bracket is sized to the next power of two; the missing entrants are
 * byes, which land against the top seeds (standard order: 1 v 16, 8 v 9 …)
 * and are settled at once, so a seed with a bye waits in round 2.
 */
import { BYE, type BracketMatch, type Link, type Side } from "./bracket.types";
import { settleAll } from "./bracket-advance";
import { bracketOrder, nextPowerOfTwo } from "./seeding";

function match(key: string, bracket: BracketMatch["bracket"], round: number, position: number): BracketMatch {
  return {
    key,
    bracket,
    round,
    position,
    group: null,
    sides: [null, null],
    status: "pending",
    winner: null,
    winnerTo: null,
    loserTo: null,
    resetOf: null,
  };
}

const wKey = (round: number, position: number): string => `W${round}-${position}`;
const lKey = (round: number, position: number): string => `L${round}-${position}`;
const link = (key: string, side: number): Link => ({ key, side: side % 2 === 0 ? 0 : 1 });

/** The winners' bracket with entrants (or byes) in round 1; winners feed the next round. */
function winnersBracket(seeded: readonly string[]): { matches: BracketMatch[]; rounds: number } {
  if (seeded.length < 2) throw new RangeError("An elimination bracket needs at least 2 entrants");
  const size = nextPowerOfTwo(seeded.length);
  const rounds = Math.log2(size);
  const order = bracketOrder(size);
  const entrantAt = (slot: number): Side => seeded[(order[slot] as number) - 1] ?? BYE;
  const matches: BracketMatch[] = [];
  for (let round = 1; round <= rounds; round++) {
    const count = size / 2 ** round;
    for (let i = 0; i < count; i++) {
      const m = match(wKey(round, i + 1), "winners", round, i + 1);
      if (round === 1) m.sides = [entrantAt(2 * i), entrantAt(2 * i + 1)];
      if (round < rounds) m.winnerTo = link(wKey(round + 1, Math.floor(i / 2) + 1), i);
      matches.push(m);
    }
  }
  return { matches, rounds };
}

export interface SingleEliminationOptions {
  /** A match between the two semi-final losers (needs 4+ entrants, i.e. a semi-final round). */
  thirdPlaceMatch?: boolean;
}

export function singleElimination(seeded: readonly string[], options: SingleEliminationOptions = {}): BracketMatch[] {
  const { matches, rounds } = winnersBracket(seeded);
  if (options.thirdPlaceMatch && rounds >= 2 && seeded.length >= 4) {
    const third = match("3P", "third_place", rounds, 1);
    for (const m of matches) if (m.round === rounds - 1) m.loserTo = link("3P", m.position - 1);
    matches.push(third);
  }
  return settleAll(matches);
}

export interface DoubleEliminationOptions {
  /** When the lower-bracket finalist wins the grand final, a second (reset) match decides it. */
  grandFinalReset?: boolean;
}

/**
 * Winners' bracket as in single elimination; its losers drop into the
 * losers' bracket, which alternates "minor" rounds (survivors play each
 * other) and "major" rounds (survivors meet the next wave of drops). Drops
 * enter in reversed order every other round so that two entrants who met
 * in the upper bracket do not meet again at once. The upper champion meets
 * the lower champion in the grand final (GF1), optionally reset (GF2).
 */
export function doubleElimination(seeded: readonly string[], options: DoubleEliminationOptions = {}): BracketMatch[] {
  const { matches, rounds } = winnersBracket(seeded);
  const size = 2 ** rounds;
  const byKey = new Map(matches.map((m) => [m.key, m]));
  const wb = (round: number, position: number) => byKey.get(wKey(round, position)) as BracketMatch;
  const gf1 = match("GF1", "grand_final", 1, 1);
  wb(rounds, 1).winnerTo = { key: "GF1", side: 0 };
  const lbRounds = 2 * (rounds - 1);
  if (lbRounds === 0) {
    // Two entrants: the loser of the only upper match goes straight to the grand final.
    wb(1, 1).loserTo = { key: "GF1", side: 1 };
  }
  for (let j = 1; j <= lbRounds; j++) {
    // Rounds 2r-1 and 2r both have size / 2^(r+1) matches.
    const r = Math.ceil(j / 2);
    const count = size / 2 ** (r + 1);
    for (let i = 0; i < count; i++) {
      const m = match(lKey(j, i + 1), "losers", j, i + 1);
      m.winnerTo =
        j === lbRounds
          ? { key: "GF1", side: 1 }
          : j % 2 === 1
            ? { key: lKey(j + 1, i + 1), side: 0 }
            : link(lKey(j + 1, Math.floor(i / 2) + 1), i);
      matches.push(m);
    }
    if (j === 1) {
      // Losers of upper round 1 pair up.
      for (let i = 0; i < size / 2; i++) wb(1, i + 1).loserTo = link(lKey(1, Math.floor(i / 2) + 1), i);
    } else if (j % 2 === 0) {
      // Losers of upper round r+1 meet the survivors; reversed on alternate waves.
      const upperRound = j / 2 + 1;
      const reversed = (j / 2) % 2 === 1;
      for (let i = 0; i < count; i++) {
        const target = reversed ? count - 1 - i : i;
        wb(upperRound, i + 1).loserTo = { key: lKey(j, target + 1), side: 1 };
      }
    }
  }
  matches.push(gf1);
  if (options.grandFinalReset) {
    const gf2 = match("GF2", "grand_final", 2, 1);
    gf2.resetOf = "GF1";
    matches.push(gf2);
  }
  return settleAll(matches);
}
