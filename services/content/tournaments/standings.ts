/**
 * Standings of Swiss and round-robin play, and the Swiss pairing input.
 *
 * Points: win 1, draw ½, loss 0, bye 1. Ties are broken, in order, by
 *  1. Buchholz: the sum of the points of every opponent met (byes add nothing),
 *     so a score earned against stronger opposition ranks higher;
 *  2. head-to-head: points scored in the matches among the players still tied
 *     (for two players: who won their meeting);
 *  3. seed (the better seed ranks higher), so every rank is distinct.
 */
import { BYE, type BracketMatch } from "./bracket.types";
import type { SwissPlayer } from "./swiss";

export interface StandingRow {
  entrantId: string;
  rank: number;
  points: number;
  wins: number;
  draws: number;
  losses: number;
  byes: number;
  buchholz: number;
  /** Points in matches among the players tied with this one on points and Buchholz. */
  headToHead: number;
}

interface Tally {
  row: StandingRow;
  seed: number;
  opponents: string[];
  hadBye: boolean;
}

/** Decided matches only; a draw is a completed match whose winner is null. */
function tally(seeded: readonly string[], matches: readonly BracketMatch[]): Map<string, Tally> {
  const table = new Map<string, Tally>();
  seeded.forEach((id, i) =>
    table.set(id, {
      row: { entrantId: id, rank: 0, points: 0, wins: 0, draws: 0, losses: 0, byes: 0, buchholz: 0, headToHead: 0 },
      seed: i + 1,
      opponents: [],
      hadBye: false,
    }),
  );
  for (const m of matches) {
    if (m.status !== "completed" && m.status !== "bye") continue;
    const [a, b] = m.sides;
    if (a === null || b === null) continue;
    if (b === BYE || a === BYE) {
      const t = table.get(a === BYE ? (b as string) : a);
      if (t) {
        t.row.points += 1;
        t.row.byes += 1;
        t.hadBye = true;
      }
      continue;
    }
    const ta = table.get(a);
    const tb = table.get(b);
    if (!ta || !tb) continue;
    ta.opponents.push(b);
    tb.opponents.push(a);
    if (m.winner === null) {
      ta.row.points += 0.5;
      tb.row.points += 0.5;
      ta.row.draws++;
      tb.row.draws++;
    } else {
      const [w, l] = m.winner === 0 ? [ta, tb] : [tb, ta];
      w.row.points += 1;
      w.row.wins++;
      l.row.losses++;
    }
  }
  for (const t of table.values())
    t.row.buchholz = t.opponents.reduce((sum, o) => sum + (table.get(o)?.row.points ?? 0), 0);
  return table;
}

function headToHead(group: Tally[], matches: readonly BracketMatch[]): void {
  if (group.length < 2) return;
  const ids = new Set(group.map((t) => t.row.entrantId));
  const byId = new Map(group.map((t) => [t.row.entrantId, t]));
  for (const m of matches) {
    if (m.status !== "completed") continue;
    const [a, b] = m.sides;
    if (a === null || b === null || !ids.has(a) || !ids.has(b)) continue;
    const ta = byId.get(a) as Tally;
    const tb = byId.get(b) as Tally;
    if (m.winner === null) {
      ta.row.headToHead += 0.5;
      tb.row.headToHead += 0.5;
    } else (m.winner === 0 ? ta : tb).row.headToHead += 1;
  }
}

export function computeStandings(seeded: readonly string[], matches: readonly BracketMatch[]): StandingRow[] {
  const tallies = [...tally(seeded, matches).values()];
  const groups = new Map<string, Tally[]>();
  for (const t of tallies) {
    const key = `${t.row.points}|${t.row.buchholz}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const group of groups.values()) headToHead(group, matches);
  tallies.sort(
    (x, y) =>
      y.row.points - x.row.points ||
      y.row.buchholz - x.row.buchholz ||
      y.row.headToHead - x.row.headToHead ||
      x.seed - y.seed,
  );
  return tallies.map((t, i) => ({ ...t.row, rank: i + 1 }));
}

/** Pairing input for the next Swiss round; entrants in `out` (disqualified) are left out. */
export function swissPlayers(
  seeded: readonly string[],
  matches: readonly BracketMatch[],
  out: ReadonlySet<string> = new Set(),
): SwissPlayer[] {
  return [...tally(seeded, matches).values()]
    .filter((t) => !out.has(t.row.entrantId))
    .map((t) => ({
      id: t.row.entrantId,
      seed: t.seed,
      score: t.row.points,
      buchholz: t.row.buchholz,
      opponents: new Set(t.opponents),
      hadBye: t.hadBye,
    }));
}
