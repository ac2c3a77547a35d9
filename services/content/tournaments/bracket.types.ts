/**
 * The bracket engine's data: plain values, no Moleculer, no database. The
 * service stores each BracketMatch as a row and hands them back to the
 * engine to advance; everything here is unit-tested alone
 * (test/unit/content/tournaments).
 */

/** A side not yet known (waiting for another match). */
export type PendingSide = null;
/** The side of a match that nobody fills: the other side advances without playing. */
export const BYE = "~bye";
/** An entrant id, BYE, or null while the feeding match is unplayed. */
export type Side = string | PendingSide;

export type BracketKind = "winners" | "losers" | "grand_final" | "third_place" | "group" | "swiss";

export type MatchStatus =
  /** a side is still unknown */
  | "pending"
  /** both sides known: to be played */
  | "ready"
  | "completed"
  /** decided without play: one side is a bye */
  | "bye"
  /** never played: a grand-final reset the upper-bracket champion made unnecessary */
  | "skipped";

/** Where a match's winner or loser goes: the match key and the side (0 = A, 1 = B). */
export interface Link {
  key: string;
  side: 0 | 1;
}

export interface BracketMatch {
  /** Stable, unique in the tournament: "W1-3", "L2-1", "GF1", "GF2", "3P", "G2-R1-4", "S3-7". */
  key: string;
  bracket: BracketKind;
  round: number;
  /** 1-based order within the round. */
  position: number;
  /** Round-robin group (1-based); null elsewhere. */
  group: number | null;
  sides: [Side, Side];
  status: MatchStatus;
  /** 0 or 1 once decided. */
  winner: 0 | 1 | null;
  winnerTo: Link | null;
  loserTo: Link | null;
  /**
   * Grand-final reset: this match (GF2) is played only when the lower-bracket
   * side won GF1; it then takes GF1's two sides.
   */
  resetOf: string | null;
}

/** What a played (or forfeited) match produced; scores are informational for the engine. */
export interface MatchOutcome {
  winner: 0 | 1 | null;
  /** Swiss and round robin accept draws (winner null); elimination never does. */
  draw?: boolean;
}

export type Format = "single_elimination" | "double_elimination" | "round_robin" | "swiss";
export const FORMATS: readonly Format[] = ["single_elimination", "double_elimination", "round_robin", "swiss"];

export type SeedingMethod = "rank" | "random" | "manual";
export const SEEDING_METHODS: readonly SeedingMethod[] = ["rank", "random", "manual"];
