/** Stored shapes and client views of the tournaments service. */
import type { BaseDocument } from "../../../mixins/db";
import type { BracketKind, Format, Link, MatchStatus, SeedingMethod, Side } from "./bracket.types";
import type { TournamentStatus } from "./lifecycle";

export const ENTRANT_STATUSES = [
  "pending",
  "confirmed",
  "waitlisted",
  "withdrawn",
  "rejected",
  "no_show",
  "disqualified",
  "eliminated",
] as const;
export type EntrantStatus = (typeof ENTRANT_STATUSES)[number];
/** Statuses that hold the members' places (no second registration meanwhile). */
export const ACTIVE_ENTRANT: readonly EntrantStatus[] = ["pending", "confirmed", "waitlisted"];

export type TournamentMode = "solo" | "team";
export type RulesFormat = "plain" | "markdown";

/** Format options, fixed once registration opens. */
export interface TournamentOptions {
  seeding: SeedingMethod;
  /** Single elimination: play for third place. */
  thirdPlaceMatch: boolean;
  /** Double elimination: a second grand final when the lower-bracket finalist wins the first. */
  grandFinalReset: boolean;
  /** Round robin: number of groups. */
  groups: number;
  /** Swiss: number of rounds (default ceil(log2 entrants)). */
  swissRounds: number | null;
  /** Minutes between scheduled rounds (schedule and calendar). */
  roundMinutes: number;
  /** Random seeding: the seed that drew the bracket (reproducible, auditable). */
  randomSeed: number | null;
}

export interface TournamentDoc extends BaseDocument {
  organizerId: string;
  name: string;
  game: string;
  category: string | null;
  format: Format;
  status: TournamentStatus;
  mode: TournamentMode;
  teamSizeMin: number;
  teamSizeMax: number;
  minEntrants: number;
  maxEntrants: number;
  requiresApproval: boolean;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  checkInOpensAt: Date | null;
  checkInClosesAt: Date | null;
  startsAt: Date;
  rules: string;
  rulesFormat: RulesFormat;
  options: TournamentOptions;
  /** Entrant ids in seed order, fixed at start. */
  seeded: string[];
  /** Swiss: the round being played. */
  currentRound: number;
  championEntrantId: string | null;
  /** Bumped whenever a match time changes: the calendar feed's SEQUENCE. */
  scheduleVersion: number;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
}

export interface EntrantDoc extends BaseDocument {
  tournamentId: string;
  /** The player, or the team's captain. */
  userId: string;
  displayName: string;
  teamName: string | null;
  /** Team members other than the captain (user ids). */
  roster: string[];
  status: EntrantStatus;
  registrationNo: number;
  rating: number | null;
  seed: number | null;
  checkedInAt: Date | null;
}

export interface MemberDoc extends BaseDocument {
  tournamentId: string;
  userId: string;
  entrantId: string;
}

export interface ScoreReport {
  scoreA: number;
  scoreB: number;
  by: string;
  at: string;
}

export type Resolution = "reported" | "override" | "no_show" | "disqualified" | "bye";

export interface MatchDoc extends BaseDocument {
  tournamentId: string;
  key: string;
  bracket: BracketKind;
  round: number;
  position: number;
  groupNo: number | null;
  sides: [Side, Side];
  status: MatchStatus;
  winner: 0 | 1 | null;
  winnerTo: Link | null;
  loserTo: Link | null;
  resetOf: string | null;
  scoreA: number | null;
  scoreB: number | null;
  reportA: ScoreReport | null;
  reportB: ScoreReport | null;
  disputed: boolean;
  resolution: Resolution | null;
  scheduledAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  channelId: string | null;
  liveSessionId: string | null;
  liveStartedAt: Date | null;
  videoId: string | null;
  version: number;
}

export interface ChapterDoc extends BaseDocument {
  videoId: string;
  matchId: string;
  tournamentId: string;
  title: string;
  startS: number;
  endS: number;
}

export interface ChannelSessionDoc extends BaseDocument {
  channelId: string;
  startedAt: Date;
  endedAt: Date | null;
}

export interface TournamentView {
  id: string;
  organizerId: string;
  name: string;
  game: string;
  category: string | null;
  format: Format;
  status: TournamentStatus;
  mode: TournamentMode;
  teamSizeMin: number;
  teamSizeMax: number;
  minEntrants: number;
  maxEntrants: number;
  requiresApproval: boolean;
  registrationOpensAt: string | null;
  registrationClosesAt: string | null;
  checkInOpensAt: string | null;
  checkInClosesAt: string | null;
  startsAt: string;
  rules: string;
  rulesFormat: RulesFormat;
  options: TournamentOptions;
  currentRound: number;
  championEntrantId: string | null;
  confirmedCount: number;
  waitlistCount: number;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
}

export interface EntrantView {
  id: string;
  tournamentId: string;
  userId: string;
  displayName: string;
  teamName: string | null;
  roster: string[];
  status: EntrantStatus;
  /** 1-based place on the waitlist, for waitlisted entrants. */
  waitlistPosition: number | null;
  seed: number | null;
  rating: number | null;
  checkedIn: boolean;
  registeredAt: string;
}

export interface MatchSideView {
  entrantId: string | null;
  name: string | null;
  bye: boolean;
  score: number | null;
}

export interface MatchView {
  id: string;
  tournamentId: string;
  key: string;
  bracket: BracketKind;
  round: number;
  position: number;
  group: number | null;
  status: MatchStatus;
  /** Awaiting the other side's report, or in dispute. */
  reporting: "open" | "awaiting_confirmation" | "disputed" | "closed";
  sides: [MatchSideView, MatchSideView];
  winnerEntrantId: string | null;
  resolution: Resolution | null;
  scheduledAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  channelId: string | null;
  liveSessionId: string | null;
  live: boolean;
  videoId: string | null;
  version: number;
}

/** A chapter of a VOD: a match shown on the stream, or a stream marker (clips service). */
export interface ChapterView {
  videoId: string;
  kind: "match" | "marker";
  matchId: string | null;
  tournamentId: string | null;
  markerId: string | null;
  title: string;
  startS: number;
  endS: number;
}
