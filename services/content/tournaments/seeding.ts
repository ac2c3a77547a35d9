/**
 * Seeding: the order entrants enter the bracket in (seed 1 first).
 *  - rank: by rating (higher first), unrated after rated, ties by who registered first;
 *  - random: a shuffle driven by a stored seed, so the draw can be reproduced and audited;
 *  - manual: the organizer's list, which must name every entrant exactly once.
 */
import type { SeedingMethod } from "./bracket.types";

export interface SeedCandidate {
  id: string;
  rating: number | null;
  /** Registration order (earlier first). */
  registeredAt: number;
}

/** mulberry32: small, fast, good enough to shuffle a draw; the seed makes it reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export class SeedingError extends Error {}

/** Entrant ids in seed order. */
export function seedEntrants(
  entrants: readonly SeedCandidate[],
  method: SeedingMethod,
  options: { randomSeed?: number; manualOrder?: readonly string[] } = {},
): string[] {
  const byRegistration = [...entrants].sort((a, b) => a.registeredAt - b.registeredAt || (a.id < b.id ? -1 : 1));
  if (method === "random") return shuffle(byRegistration, seededRandom(options.randomSeed ?? 1)).map((e) => e.id);
  if (method === "manual") {
    const order = options.manualOrder ?? [];
    const ids = new Set(entrants.map((e) => e.id));
    const seen = new Set<string>();
    for (const id of order) {
      if (!ids.has(id)) throw new SeedingError(`Seed list names ${id}, who is not an entrant`);
      if (seen.has(id)) throw new SeedingError(`Seed list names ${id} twice`);
      seen.add(id);
    }
    if (seen.size !== ids.size) throw new SeedingError("Seed list must name every entrant");
    return [...order];
  }
  return byRegistration
    .map((e, index) => ({ e, index }))
    .sort((a, b) => {
      const ra = a.e.rating;
      const rb = b.e.rating;
      if (ra !== null && rb !== null && ra !== rb) return rb - ra;
      if (ra === null && rb !== null) return 1;
      if (ra !== null && rb === null) return -1;
      return a.index - b.index;
    })
    .map(({ e }) => e.id);
}

/**
 * Standard bracket order for a power-of-two size: seed pairs (1,n), (n/2, n/2+1)...
 * placed so that seeds 1 and 2 can meet only in the final, 1-4 only in the semis, etc.
 * Returns seed numbers (1-based) in slot order; slots 2i and 2i+1 meet in round 1.
 */
export function bracketOrder(size: number): number[] {
  let order = [1];
  while (order.length < size) {
    const next = order.length * 2;
    order = order.flatMap((s) => [s, next + 1 - s]);
  }
  return order;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
