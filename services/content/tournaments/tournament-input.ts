/**
 * What organizers send to create or edit a tournament, the options a new one
 * starts with, and the cross-field rules every create and update must pass.
 * Apart from the actions so the rules read in one place, without the writes.
 */
import { ValidationError } from "../../../lib/errors";
import type { Format } from "./bracket.types";
import type { RulesFormat, TournamentDoc, TournamentMode, TournamentOptions } from "./tournament.types";

export interface TournamentInput {
  name: string;
  game: string;
  category?: string | null;
  format: Format;
  mode?: TournamentMode;
  teamSizeMin?: number;
  teamSizeMax?: number;
  minEntrants?: number;
  maxEntrants: number;
  requiresApproval?: boolean;
  registrationOpensAt?: Date | null;
  registrationClosesAt?: Date | null;
  checkInOpensAt?: Date | null;
  checkInClosesAt?: Date | null;
  startsAt: Date;
  rules?: string;
  rulesFormat?: RulesFormat;
  options?: Partial<TournamentOptions>;
}
export type CreateTournamentParams = TournamentInput;
export type UpdateTournamentParams = Partial<TournamentInput> & { id: string };

export const DEFAULT_OPTIONS: TournamentOptions = {
  seeding: "rank",
  thirdPlaceMatch: false,
  grandFinalReset: true,
  groups: 1,
  swissRounds: null,
  roundMinutes: 60,
  randomSeed: null,
};

/** Fields fixed once registration opens: entrants registered under them. */
export const STRUCTURAL: ReadonlyArray<keyof TournamentInput> = [
  "format",
  "mode",
  "teamSizeMin",
  "teamSizeMax",
  "minEntrants",
  "maxEntrants",
  "requiresApproval",
  "options",
];

/** A ValidationError (400) that names the one field at fault. */
export function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, [{ field, message }]);
}

/** Cross-field rules every create and update must satisfy. */
export function checkConsistency(t: Omit<TournamentDoc, "id" | "createdAt" | "updatedAt">, limit: number): void {
  if (t.maxEntrants > limit) throw invalid("maxEntrants", `At most ${limit} entrants`);
  if (t.minEntrants > t.maxEntrants) throw invalid("minEntrants", "minEntrants exceeds maxEntrants");
  if (t.teamSizeMin > t.teamSizeMax) throw invalid("teamSizeMin", "teamSizeMin exceeds teamSizeMax");
  if (t.mode === "solo" && (t.teamSizeMin !== 1 || t.teamSizeMax !== 1))
    throw invalid("mode", "Solo tournaments have teams of one");
  const before = (a: Date | null, b: Date | null, field: string, message: string) => {
    if (a && b && a.getTime() > b.getTime()) throw invalid(field, message);
  };
  before(t.registrationOpensAt, t.registrationClosesAt, "registrationClosesAt", "Registration closes before it opens");
  before(t.registrationClosesAt, t.startsAt, "registrationClosesAt", "Registration must close by the start");
  before(t.checkInOpensAt, t.checkInClosesAt, "checkInClosesAt", "Check-in closes before it opens");
  before(t.checkInClosesAt, t.startsAt, "checkInClosesAt", "Check-in must close by the start");
  if (t.checkInClosesAt && !t.checkInOpensAt) throw invalid("checkInOpensAt", "Check-in needs an opening time");
  if (t.format === "round_robin" && t.options.groups * 2 > t.maxEntrants)
    throw invalid("options", "Each group needs at least 2 entrants");
}
