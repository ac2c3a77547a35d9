/**
 * Response bodies of the content services (tournaments, blog) until the
 * OpenAPI document declares them; merged into ResponseGaps (gaps.ts), where
 * the staleness checks run. Each mirrors the action's result type.
 */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type TournamentStatus = "draft" | "registration_open" | "check_in" | "running" | "completed" | "cancelled";
export type TournamentFormat = "single_elimination" | "double_elimination" | "round_robin" | "swiss";

export interface Tournament {
  id: string;
  organizerId: string;
  name: string;
  game: string;
  category: string | null;
  format: TournamentFormat;
  status: TournamentStatus;
  mode: "solo" | "team";
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
  rulesFormat: "plain" | "markdown";
  options: {
    seeding: string;
    thirdPlaceMatch: boolean;
    grandFinalReset: boolean;
    groups: number;
    roundMinutes: number;
  };
  currentRound: number;
  championEntrantId: string | null;
  confirmedCount: number;
  waitlistCount: number;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  createdAt: string;
}

export interface Entrant {
  id: string;
  tournamentId: string;
  userId: string;
  displayName: string;
  teamName: string | null;
  roster: string[];
  status: "pending" | "confirmed" | "waitlisted" | "withdrawn" | "rejected" | "no_show" | "disqualified" | "eliminated";
  waitlistPosition: number | null;
  seed: number | null;
  rating: number | null;
  checkedIn: boolean;
  registeredAt: string;
}

export interface MatchSide {
  entrantId: string | null;
  name: string | null;
  bye: boolean;
  score: number | null;
}

export interface Match {
  id: string;
  tournamentId: string;
  key: string;
  bracket: "winners" | "losers" | "grand_final" | "third_place" | "group" | "swiss";
  round: number;
  position: number;
  group: number | null;
  status: "pending" | "ready" | "completed" | "bye" | "skipped";
  reporting: "open" | "awaiting_confirmation" | "disputed" | "closed";
  sides: [MatchSide, MatchSide];
  winnerEntrantId: string | null;
  resolution: string | null;
  scheduledAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  channelId: string | null;
  liveSessionId: string | null;
  live: boolean;
  videoId: string | null;
  version: number;
}

export interface Standing {
  rank: number;
  entrantId: string;
  name: string;
  status: Entrant["status"];
  points: number | null;
  wins: number;
  losses: number;
  draws: number;
  buchholz: number | null;
  headToHead: number | null;
}

export interface Chapter {
  videoId: string;
  kind: "match" | "marker";
  matchId: string | null;
  tournamentId: string | null;
  markerId: string | null;
  title: string;
  startS: number;
  endS: number;
}

export interface ContentGaps {
  "get /api/v1/tournaments": CursorPage<Tournament>;
  "post /api/v1/tournaments": Tournament;
  "get /api/v1/tournaments/{id}": Tournament;
  "post /api/v1/tournaments/{id}/open-registration": Tournament;
  "post /api/v1/tournaments/{id}/open-check-in": Tournament;
  "post /api/v1/tournaments/{id}/start": Tournament;
  "post /api/v1/tournaments/{id}/cancel": Tournament;
  "get /api/v1/tournaments/{id}/entrants": CursorPage<Entrant>;
  "post /api/v1/tournaments/{id}/entrants": Entrant;
  "delete /api/v1/tournaments/{id}/entrants/{entrantId}": Entrant;
  "post /api/v1/tournaments/{id}/entrants/{entrantId}/approve": Entrant;
  "post /api/v1/tournaments/{id}/entrants/{entrantId}/check-in": Entrant;
  "get /api/v1/tournaments/{id}/bracket": { tournament: Tournament; matches: Match[] };
  "get /api/v1/tournaments/{id}/standings": { items: Standing[] };
  "post /api/v1/tournaments/{id}/matches/{matchId}/report": Match;
  "get /api/v1/channels/{channelId}/tournament-match": { channelId: string; match: Match | null };
  "get /api/v1/videos/{videoId}/chapters": { items: Chapter[] };
}
