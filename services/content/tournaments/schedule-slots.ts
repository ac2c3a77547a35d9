/**
 * When each match is scheduled: matches are laid out in slots of
 * `roundMinutes` from the start time. Upper round r is slot r-1; lower round
 * j (which needs upper round ⌈j/2⌉+… to be over) is slot j; the grand final
 * comes after both; group and Swiss round r is slot r-1. The organizer may
 * move any match afterwards.
 */
import type { BracketMatch } from "./bracket.types";

export function scheduleSlot(m: Pick<BracketMatch, "bracket" | "round">, upperRounds: number): number {
  switch (m.bracket) {
    case "winners":
      return m.round - 1;
    case "losers":
      return m.round;
    case "third_place":
      return Math.max(0, upperRounds - 1);
    case "grand_final":
      return Math.max(upperRounds - 1, 2 * (upperRounds - 1)) + m.round;
    default:
      return m.round - 1;
  }
}

export function scheduledTime(startsAt: Date, slot: number, roundMinutes: number): Date {
  return new Date(startsAt.getTime() + slot * roundMinutes * 60_000);
}

export function upperRoundsOf(matches: Iterable<Pick<BracketMatch, "bracket" | "round">>): number {
  let rounds = 0;
  for (const m of matches) if (m.bracket === "winners" && m.round > rounds) rounds = m.round;
  return rounds;
}
