import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS, type PropertySchemas } from "../../../lib/http/response-schema";
import type { BracketView, ScheduleView, StandingView } from "./bracket-read";
import { FORMATS, SEEDING_METHODS } from "./bracket.types";
import { TOURNAMENT_STATUSES } from "./lifecycle";
import type { ChannelMatch } from "./match-admin";
import {
  ENTRANT_STATUSES,
  type ChapterView,
  type EntrantDoc,
  type EntrantView,
  type MatchSideView,
  type MatchView,
  type MemberDoc,
  type TournamentOptions,
  type TournamentView,
} from "./tournament.types";
import type { TournamentsUserData } from "./tournaments.contract";

/** Response bodies of /tournaments routes, typed by the views the actions return (tournaments.routes.ts). */
export const TOURNAMENT = s.named(
  "Tournament",
  s.object<TournamentView>()({
    id: s.string(),
    organizerId: s.string(),
    name: s.string(),
    game: s.string(),
    category: s.nullable(s.string()),
    format: s.enum(FORMATS),
    status: s.enum(TOURNAMENT_STATUSES),
    mode: s.enum(["solo", "team"] as const),
    teamSizeMin: s.integer(),
    teamSizeMax: s.integer(),
    minEntrants: s.integer(),
    maxEntrants: s.integer(),
    requiresApproval: s.boolean(),
    registrationOpensAt: s.nullable(s.dateTime()),
    registrationClosesAt: s.nullable(s.dateTime()),
    checkInOpensAt: s.nullable(s.dateTime()),
    checkInClosesAt: s.nullable(s.dateTime()),
    startsAt: s.dateTime(),
    rules: s.string(),
    rulesFormat: s.enum(["plain", "markdown"] as const),
    options: s.object<TournamentOptions>()({
      seeding: s.enum(SEEDING_METHODS),
      thirdPlaceMatch: s.boolean(),
      grandFinalReset: s.boolean(),
      groups: s.integer(),
      swissRounds: s.nullable(s.integer()),
      roundMinutes: s.integer(),
      randomSeed: s.nullable(s.integer()),
    }),
    currentRound: s.integer(),
    championEntrantId: s.nullable(s.string()),
    confirmedCount: s.integer(),
    waitlistCount: s.integer(),
    startedAt: s.nullable(s.dateTime()),
    completedAt: s.nullable(s.dateTime()),
    cancelledAt: s.nullable(s.dateTime()),
    createdAt: s.dateTime(),
  }),
);

export const TOURNAMENT_PAGE = cursorPageSchema("Tournament", TOURNAMENT);

/**
 * Fields the entrant view and the stored entry (TournamentEntryRecord, the data export) share, in the order both list
 * them: each schema spreads them where its own fields go, so the OpenAPI document keeps its property order.
 */
const ENTRANT_FIELDS: PropertySchemas<
  Pick<EntrantView, "tournamentId" | "userId" | "displayName" | "teamName" | "roster" | "status">
> = {
  tournamentId: s.string(),
  userId: s.string(),
  displayName: s.string(),
  teamName: s.nullable(s.string()),
  roster: s.array(s.string()),
  status: s.enum(ENTRANT_STATUSES),
};

export const ENTRANT = s.named(
  "Entrant",
  s.object<EntrantView>()({
    id: s.string(),
    ...ENTRANT_FIELDS,
    waitlistPosition: s.nullable(s.integer()),
    seed: s.nullable(s.integer()),
    rating: s.nullable(s.number()),
    checkedIn: s.boolean(),
    registeredAt: s.dateTime(),
  }),
);

export const ENTRANT_PAGE = cursorPageSchema("Entrant", ENTRANT);

export const MATCH = s.named(
  "Match",
  s.object<MatchView>()({
    id: s.string(),
    tournamentId: s.string(),
    key: s.string(),
    bracket: s.enum(["winners", "losers", "grand_final", "third_place", "group", "swiss"] as const),
    round: s.integer(),
    position: s.integer(),
    group: s.nullable(s.integer()),
    status: s.enum(["pending", "ready", "completed", "bye", "skipped"] as const),
    reporting: s.enum(["open", "awaiting_confirmation", "disputed", "closed"] as const),
    sides: s.pair(
      s.object<MatchSideView>()({
        entrantId: s.nullable(s.string()),
        name: s.nullable(s.string()),
        bye: s.boolean(),
        score: s.nullable(s.number()),
      }),
    ),
    winnerEntrantId: s.nullable(s.string()),
    resolution: s.nullable(s.enum(["reported", "override", "no_show", "disqualified", "bye"] as const)),
    scheduledAt: s.nullable(s.dateTime()),
    startedAt: s.nullable(s.dateTime()),
    completedAt: s.nullable(s.dateTime()),
    channelId: s.nullable(s.string()),
    liveSessionId: s.nullable(s.string()),
    live: s.boolean(),
    videoId: s.nullable(s.string()),
    version: s.integer(),
  }),
);

export const MATCH_PAGE = cursorPageSchema("Match", MATCH);

export const BRACKET = s.named("Bracket", s.object<BracketView>()({ tournament: TOURNAMENT, matches: s.array(MATCH) }));

export const SCHEDULE = s.named(
  "TournamentSchedule",
  s.object<ScheduleView>()({ tournament: TOURNAMENT, version: s.integer(), matches: s.array(MATCH) }),
);

export const STANDINGS = s.object<{ items: StandingView[] }>()({
  items: s.array(
    s.named(
      "Standing",
      s.object<StandingView>()({
        rank: s.integer(),
        entrantId: s.string(),
        name: s.string(),
        status: s.enum(ENTRANT_STATUSES),
        points: s.nullable(s.number()),
        wins: s.integer(),
        losses: s.integer(),
        draws: s.integer(),
        buchholz: s.nullable(s.number()),
        headToHead: s.nullable(s.number()),
      }),
    ),
  ),
});

export const DISQUALIFIED = s.object<{ entrantId: string; status: "disqualified"; matches: MatchView[] }>()({
  entrantId: s.string(),
  status: s.literal("disqualified"),
  matches: s.array(MATCH),
});

export const CHANNEL_MATCH = s.object<ChannelMatch>()({ channelId: s.string(), match: s.nullable(MATCH) });

export const CHAPTERS = s.object<{ items: ChapterView[] }>()({
  items: s.array(
    s.named(
      "Chapter",
      s.object<ChapterView>()({
        videoId: s.string(),
        kind: s.enum(["match", "marker"] as const),
        matchId: s.nullable(s.string()),
        tournamentId: s.nullable(s.string()),
        markerId: s.nullable(s.string()),
        title: s.string(),
        startS: s.number(),
        endS: s.number(),
      }),
    ),
  ),
});

/** tournaments' section of GET /me/export: the stored entries and roster places, field by field. */
export const TOURNAMENTS_USER_DATA = s.named(
  "TournamentsUserData",
  s.object<TournamentsUserData>()({
    entries: s.array(
      s.named(
        "TournamentEntryRecord",
        s.object<EntrantDoc>()({
          ...STORED_DOCUMENT_FIELDS,
          ...ENTRANT_FIELDS,
          registrationNo: s.integer(),
          rating: s.nullable(s.integer()),
          seed: s.nullable(s.integer()),
          checkedInAt: s.nullable(s.date()),
        }),
      ),
    ),
    places: s.array(
      s.named(
        "TournamentPlaceRecord",
        s.object<MemberDoc>()({
          ...STORED_DOCUMENT_FIELDS,
          tournamentId: s.string(),
          userId: s.string(),
          entrantId: s.string(),
        }),
      ),
    ),
  }),
);
