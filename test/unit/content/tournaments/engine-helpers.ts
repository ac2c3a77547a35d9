/** Shared helpers of the bracket-engine property tests: a seeded generator and a random player. */
import { BYE, type BracketMatch } from "../../../../services/content/tournaments/bracket.types";
import { applyOutcome, bracketFinished } from "../../../../services/content/tournaments/bracket-advance";
import { seededRandom } from "../../../../services/content/tournaments/seeding";

export const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i + 1}`);

/** Runs `check` for many generated cases; the failing case's seed is in the message. */
export function forAll(cases: number, check: (random: () => number, seed: number) => void): void {
  for (let seed = 1; seed <= cases; seed++) {
    try {
      check(seededRandom(seed * 7919), seed);
    } catch (err) {
      (err as Error).message = `case seed ${seed}: ${(err as Error).message}`;
      throw err;
    }
  }
}

export function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Plays a bracket to the end with random winners; returns the matches played, in order. */
export function playOut(matches: BracketMatch[], random: () => number, forfeits?: Set<string>): BracketMatch[] {
  const all = new Map(matches.map((m) => [m.key, m]));
  const played: BracketMatch[] = [];
  for (let guard = 0; guard < 100_000 && !bracketFinished(all.values()); guard++) {
    const ready = [...all.values()].filter((m) => m.status === "ready");
    if (ready.length === 0) throw new Error("bracket is stuck: nothing ready, not finished");
    const m = ready[Math.floor(random() * ready.length)] as BracketMatch;
    applyOutcome(all, m.key, random() < 0.5 ? 0 : 1, forfeits);
    played.push(m);
  }
  return played;
}

export const realSides = (m: BracketMatch): string[] => m.sides.filter((s): s is string => s !== null && s !== BYE);
