/**
 * Durable events the tournaments service publishes (through the outbox, in
 * the transaction that makes the change). Notifications tell players their
 * registration is confirmed and their match is ready; search indexes
 * tournaments; analytics counts them. Each carries the user ids it concerns,
 * so a consumer needs no call back.
 */
import type { Format } from "./bracket.types";
import type { TournamentStatus } from "./lifecycle";
import type { TournamentDoc } from "./tournament.types";

export interface TournamentCreated {
  tournamentId: string;
  organizerId: string;
  name: string;
  game: string;
  category: string | null;
  format: Format;
  startsAt: string;
  createdAt: string;
}

/**
 * An organizer edited the tournament or moved it (registration, check-in
 * opened): what search shows of it. Start, completion and cancellation have
 * their own events.
 */
export interface TournamentUpdated {
  tournamentId: string;
  organizerId: string;
  name: string;
  game: string;
  category: string | null;
  format: Format;
  status: TournamentStatus;
  startsAt: string;
  updatedAt: string;
}

export function tournamentUpdatedPayload(t: TournamentDoc): TournamentUpdated {
  return {
    tournamentId: t.id,
    organizerId: t.organizerId,
    name: t.name,
    game: t.game,
    category: t.category,
    format: t.format,
    status: t.status,
    startsAt: new Date(t.startsAt).toISOString(),
    updatedAt: new Date(t.updatedAt).toISOString(),
  };
}

export interface TournamentRegistrationConfirmed {
  tournamentId: string;
  tournamentName: string;
  entrantId: string;
  /** Player or captain. */
  userId: string;
  /** Everyone on the entrant (captain and roster). */
  memberIds: string[];
  /** True when a withdrawal or a missed check-in moved this entrant up from the waitlist. */
  fromWaitlist: boolean;
  confirmedAt: string;
}

export interface TournamentStarted {
  tournamentId: string;
  name: string;
  format: Format;
  entrantCount: number;
  /** Users of every entrant that plays. */
  memberIds: string[];
  startedAt: string;
}

export interface MatchSideRef {
  entrantId: string;
  memberIds: string[];
}

export interface TournamentMatchReady {
  tournamentId: string;
  matchId: string;
  key: string;
  round: number;
  sides: [MatchSideRef, MatchSideRef];
  scheduledAt: string | null;
  channelId: string | null;
}

export interface TournamentMatchCompleted {
  tournamentId: string;
  matchId: string;
  key: string;
  round: number;
  winnerEntrantId: string | null;
  loserEntrantId: string | null;
  scoreA: number | null;
  scoreB: number | null;
  resolution: string;
  completedAt: string;
}

export interface TournamentCompleted {
  tournamentId: string;
  name: string;
  championEntrantId: string | null;
  completedAt: string;
}

export interface TournamentCancelled {
  tournamentId: string;
  name: string;
  /** Everyone registered (confirmed, waitlisted or pending) when it was cancelled. */
  memberIds: string[];
  cancelledAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "tournament.created": TournamentCreated;
    "tournament.updated": TournamentUpdated;
    "tournament.registration.confirmed": TournamentRegistrationConfirmed;
    "tournament.started": TournamentStarted;
    "tournament.match.ready": TournamentMatchReady;
    "tournament.match.completed": TournamentMatchCompleted;
    "tournament.completed": TournamentCompleted;
    "tournament.cancelled": TournamentCancelled;
  }
}

/** The public realtime topic of a tournament (services/edge/realtime, docs/realtime-protocol.md). */
export const tournamentTopic = (tournamentId: string): string => `tournament:${tournamentId}`;

/**
 * Events on the topic: `tournament.updated` (TournamentView), `bracket.created`
 * ({tournamentId, matchCount}: fetch the bracket), `matches.updated` ({matches:
 * MatchView[]}: every match one change touched, each with its version).
 */
export const TOPIC_EVENTS = {
  tournament: "tournament.updated",
  bracket: "bracket.created",
  matches: "matches.updated",
} as const;
