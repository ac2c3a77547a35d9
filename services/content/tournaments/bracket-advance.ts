/**
 * Moving entrants through a bracket: a decided match sends its winner (and
 * loser, in double elimination or to a third-place match) to exactly one
 * side of one other match. Byes, and entrants who forfeit (disqualified,
 * no-show), are settled as soon as a match's two sides are known, which may
 * cascade. The service calls these with every match of a tournament loaded
 * under the tournament's row lock, so two reports never advance twice.
 */
import { BYE, type BracketMatch, type Side } from "./bracket.types";

export class BracketError extends Error {}

type Matches = Map<string, BracketMatch>;

/** Entrants out of the competition: any match they are placed in is lost by them at once. */
export type Forfeits = ReadonlySet<string>;

const NO_FORFEITS: Forfeits = new Set();

const isAbsent = (side: Side, forfeits: Forfeits): boolean => side === BYE || (side !== null && forfeits.has(side));

function place(all: Matches, target: BracketMatch["winnerTo"], entrant: Side, changed: Set<string>): void {
  if (!target) return;
  const m = all.get(target.key);
  if (!m) throw new BracketError(`Link to unknown match ${target.key}`);
  if (m.sides[target.side] !== null) throw new BracketError(`${target.key} side ${target.side} is already filled`);
  m.sides[target.side] = entrant;
  changed.add(m.key);
}

function decide(all: Matches, m: BracketMatch, winner: 0 | 1, status: "completed" | "bye", changed: Set<string>): void {
  m.status = status;
  m.winner = winner;
  changed.add(m.key);
  place(all, m.winnerTo, m.sides[winner], changed);
  place(all, m.loserTo, m.sides[winner === 0 ? 1 : 0], changed);
  for (const reset of all.values()) {
    if (reset.resetOf !== m.key) continue;
    changed.add(reset.key);
    // The lower-bracket finalist (side 1) won: both now have one loss, so they play again.
    if (winner === 1 && !isAbsent(m.sides[1], NO_FORFEITS) && !isAbsent(m.sides[0], NO_FORFEITS)) {
      reset.sides = [m.sides[0], m.sides[1]];
    } else {
      reset.status = "skipped";
    }
  }
}

/** Settles every pending match whose sides are known: byes/forfeits decide it, otherwise it becomes ready. */
function settle(all: Matches, forfeits: Forfeits, changed: Set<string>): void {
  let progress = true;
  while (progress) {
    progress = false;
    for (const m of all.values()) {
      if (m.status !== "pending" || m.sides[0] === null || m.sides[1] === null) continue;
      const absent0 = isAbsent(m.sides[0], forfeits);
      const absent1 = isAbsent(m.sides[1], forfeits);
      if (absent0 || absent1) {
        const winner: 0 | 1 = absent0 && !absent1 ? 1 : 0;
        const byBye = m.sides[0] === BYE || m.sides[1] === BYE;
        decide(all, m, winner, byBye ? "bye" : "completed", changed);
      } else {
        m.status = "ready";
        changed.add(m.key);
      }
      progress = true;
    }
  }
}

/** Settles byes of a freshly generated bracket; returns the matches in generation order. */
export function settleAll(matches: BracketMatch[]): BracketMatch[] {
  settle(new Map(matches.map((m) => [m.key, m])), NO_FORFEITS, new Set());
  return matches;
}

/**
 * Records the outcome of a ready match and advances the bracket. Mutates the
 * matches in `all` and returns the keys of every match that changed (the
 * decided one, those that received an entrant, those settled by a cascade).
 */
export function applyOutcome(all: Matches, key: string, winner: 0 | 1, forfeits: Forfeits = NO_FORFEITS): string[] {
  const m = all.get(key);
  if (!m) throw new BracketError(`Unknown match ${key}`);
  if (m.status !== "ready") throw new BracketError(`Match ${key} is ${m.status}, not ready`);
  const changed = new Set<string>();
  decide(all, m, winner, "completed", changed);
  settle(all, forfeits, changed);
  return [...changed];
}

/** After an entrant is disqualified: every ready match of theirs is lost at once, and later ones as they arrive. */
export function applyForfeits(all: Matches, forfeits: Forfeits): string[] {
  const changed = new Set<string>();
  for (const m of all.values()) {
    if (m.status !== "ready") continue;
    const absent0 = isAbsent(m.sides[0], forfeits);
    const absent1 = isAbsent(m.sides[1], forfeits);
    if (absent0 || absent1) decide(all, m, absent0 && !absent1 ? 1 : 0, "completed", changed);
  }
  settle(all, forfeits, changed);
  return [...changed];
}

/** True once nothing is left to play. */
export function bracketFinished(matches: Iterable<BracketMatch>): boolean {
  for (const m of matches) if (m.status === "pending" || m.status === "ready") return false;
  return true;
}

/** The winner of a finished elimination bracket (grand-final reset included), or null. */
export function eliminationChampion(matches: readonly BracketMatch[]): string | null {
  const byKey = new Map(matches.map((m) => [m.key, m]));
  const final =
    byKey.get("GF2")?.status === "completed"
      ? byKey.get("GF2")
      : (byKey.get("GF1") ??
        matches
          .filter((m) => m.bracket === "winners")
          .reduce<BracketMatch | undefined>((last, m) => (!last || m.round > last.round ? m : last), undefined));
  if (!final || final.winner === null || (final.status !== "completed" && final.status !== "bye")) return null;
  const champion = final.sides[final.winner];
  return champion === BYE ? null : champion;
}
