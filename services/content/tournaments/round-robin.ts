/**
 * Round robin by the circle method: with n entrants (plus a bye when n is
 * odd) there are n-1 rounds (n when odd); the first entrant stays put and
 * the others rotate, so every pair meets exactly once and nobody plays
 * twice in a round. Groups are filled in snake order of seed (1..g, g..1 …)
 * so their strength stays even.
 */
import type { BracketMatch } from "./bracket.types";

/** Seeded entrants split into `groups` groups, snake order. */
export function snakeGroups(seeded: readonly string[], groups: number): string[][] {
  const count = Math.max(1, Math.min(groups, Math.floor(seeded.length / 2) || 1));
  const out: string[][] = Array.from({ length: count }, () => []);
  seeded.forEach((id, i) => {
    const lap = Math.floor(i / count);
    const index = lap % 2 === 0 ? i % count : count - 1 - (i % count);
    (out[index] as string[]).push(id);
  });
  return out;
}

/** Pairings per round for one group: rounds[r] = [a, b][]; a bye pairing is left out. */
export function circleRounds(entrants: readonly string[]): Array<Array<[string, string]>> {
  const slots: Array<string | null> = [...entrants];
  if (slots.length % 2 === 1) slots.push(null);
  const n = slots.length;
  const rounds: Array<Array<[string, string]>> = [];
  for (let r = 0; r < n - 1; r++) {
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < n / 2; i++) {
      const a = slots[i];
      const b = slots[n - 1 - i];
      if (a === null || b === null || a === undefined || b === undefined) continue;
      // Alternate who is listed first so sides (home/away, colour) even out.
      pairs.push(r % 2 === 0 || i > 0 ? [a, b] : [b, a]);
    }
    rounds.push(pairs);
    // Rotate every slot but the first one position clockwise.
    const last = slots.pop() as string | null;
    slots.splice(1, 0, last);
  }
  return rounds;
}

export function roundRobin(seeded: readonly string[], options: { groups?: number } = {}): BracketMatch[] {
  if (seeded.length < 2) throw new RangeError("A round robin needs at least 2 entrants");
  const matches: BracketMatch[] = [];
  snakeGroups(seeded, options.groups ?? 1).forEach((members, g) => {
    circleRounds(members).forEach((pairs, r) => {
      pairs.forEach(([a, b], i) => {
        matches.push({
          key: `G${g + 1}-R${r + 1}-${i + 1}`,
          bracket: "group",
          round: r + 1,
          position: i + 1,
          group: g + 1,
          sides: [a, b],
          status: "ready",
          winner: null,
          winnerTo: null,
          loserTo: null,
          resetOf: null,
        });
      });
    });
  });
  return matches;
}
