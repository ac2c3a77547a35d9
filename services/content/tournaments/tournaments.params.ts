/** fastest-validator schemas for every tournaments action, in one place for the service and its routes. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { FORMATS, SEEDING_METHODS } from "./bracket.types";
import { TOURNAMENT_STATUSES } from "./lifecycle";
import { ID } from "../../../lib/validation";

const DATE = { type: "date", convert: true } as const;
const OPTIONAL_DATE = { ...DATE, optional: true, nullable: true } as const;
const NAME = { type: "string", min: 1, max: 120 } as const;
const GAME = { type: "string", min: 1, max: 80 } as const;
const CATEGORY = { type: "string", max: 64, optional: true, nullable: true } as const;
const RULES = { type: "string", max: 20000, optional: true } as const;
const SCORE = { type: "number", integer: true, min: 0, max: 1000, convert: true } as const;

const OPTIONS = {
  type: "object",
  optional: true,
  strict: "remove",
  props: {
    seeding: { type: "enum", values: [...SEEDING_METHODS], optional: true },
    thirdPlaceMatch: { type: "boolean", optional: true },
    grandFinalReset: { type: "boolean", optional: true },
    groups: { type: "number", integer: true, min: 1, max: 64, optional: true },
    swissRounds: { type: "number", integer: true, min: 1, max: 20, optional: true, nullable: true },
    roundMinutes: { type: "number", integer: true, min: 5, max: 1440, optional: true },
  },
} as const;

/** Fields of a tournament an organizer sets at creation and may edit (some only while a draft). */
const TOURNAMENT_FIELDS = {
  name: NAME,
  game: GAME,
  category: CATEGORY,
  format: { type: "enum", values: [...FORMATS] },
  mode: { type: "enum", values: ["solo", "team"], optional: true },
  teamSizeMin: { type: "number", integer: true, min: 1, max: 20, optional: true },
  teamSizeMax: { type: "number", integer: true, min: 1, max: 20, optional: true },
  minEntrants: { type: "number", integer: true, min: 2, max: 4096, optional: true },
  maxEntrants: { type: "number", integer: true, min: 2, max: 4096 },
  requiresApproval: { type: "boolean", optional: true },
  registrationOpensAt: OPTIONAL_DATE,
  registrationClosesAt: OPTIONAL_DATE,
  checkInOpensAt: OPTIONAL_DATE,
  checkInClosesAt: OPTIONAL_DATE,
  startsAt: DATE,
  rules: RULES,
  rulesFormat: { type: "enum", values: ["plain", "markdown"], optional: true },
  options: OPTIONS,
} as const;

export const CREATE_TOURNAMENT = { ...TOURNAMENT_FIELDS, $$strict: "remove" } as const;

export const UPDATE_TOURNAMENT = {
  id: ID,
  ...Object.fromEntries(Object.entries(TOURNAMENT_FIELDS).map(([k, v]) => [k, { ...v, optional: true }])),
  $$strict: "remove",
} as const;

export const BY_ID = { id: ID } as const;

export const LIST_TOURNAMENTS = {
  status: { type: "enum", values: [...TOURNAMENT_STATUSES], optional: true },
  organizerId: { ...ID, optional: true },
  game: { type: "string", min: 1, max: 80, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;

export const REGISTER = {
  id: ID,
  teamName: { type: "string", min: 1, max: 60, optional: true },
  roster: { type: "array", items: ID, max: 19, optional: true, unique: true },
  $$strict: "remove",
} as const;

export const ENTRANT_REF = { id: ID, entrantId: ID } as const;

export const LIST_ENTRANTS = {
  id: ID,
  status: {
    type: "enum",
    values: ["pending", "confirmed", "waitlisted", "withdrawn", "rejected", "no_show", "disqualified", "eliminated"],
    optional: true,
  },
  ...CURSOR_PAGE_PARAMS,
} as const;

export const SET_RATING = {
  id: ID,
  entrantId: ID,
  rating: { type: "number", integer: true, min: 0, max: 100000, nullable: true },
} as const;

export const START = {
  id: ID,
  /** Manual seeding: every entrant id, best seed first. */
  seedOrder: { type: "array", items: ID, max: 4096, optional: true },
} as const;

export const MATCH_REF = { id: ID, matchId: ID } as const;

export const REPORT = { id: ID, matchId: ID, scoreA: SCORE, scoreB: SCORE } as const;

export const OVERRIDE = {
  id: ID,
  matchId: ID,
  scoreA: { ...SCORE, optional: true },
  scoreB: { ...SCORE, optional: true },
  /** Winning side when scores do not say (or to record a forfeit): "a" or "b"; "draw" in Swiss and round robin. */
  winner: { type: "enum", values: ["a", "b", "draw"], optional: true },
} as const;

export const NO_SHOW = { id: ID, matchId: ID, side: { type: "enum", values: ["a", "b"] } } as const;

export const SCHEDULE_MATCH = { id: ID, matchId: ID, scheduledAt: { ...DATE, nullable: true } } as const;

export const ASSIGN_CHANNEL = { id: ID, matchId: ID, channelId: { ...ID, nullable: true } } as const;

export const BY_VIDEO = { videoId: ID } as const;
export const BY_CHANNEL = { channelId: ID } as const;

export const LIST_MATCHES = {
  id: ID,
  round: { type: "number", integer: true, min: 1, max: 1000, optional: true, convert: true },
  status: { type: "enum", values: ["pending", "ready", "completed", "bye", "skipped"], optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
