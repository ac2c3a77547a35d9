import { join } from "node:path";
import type { DbMixinOptions, EntityDefinition } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** Relational entities in the `tournaments` schema (tables and indexes: migrations/). */
const tournaments: EntityDefinition = {
  table: "tournaments",
  kind: "relational",
  fields: {
    organizerId: { type: "string", required: true },
    name: { type: "string", required: true },
    game: { type: "string", required: true },
    category: { type: "string", default: null },
    format: { type: "string", required: true },
    status: { type: "string", required: true },
    mode: { type: "string", required: true },
    teamSizeMin: { type: "integer", default: 1 },
    teamSizeMax: { type: "integer", default: 1 },
    minEntrants: { type: "integer", default: 2 },
    maxEntrants: { type: "integer", required: true },
    requiresApproval: { type: "boolean", default: false },
    registrationOpensAt: { type: "date", default: null },
    registrationClosesAt: { type: "date", default: null },
    checkInOpensAt: { type: "date", default: null },
    checkInClosesAt: { type: "date", default: null },
    startsAt: { type: "date", required: true },
    rules: { type: "text", default: "" },
    rulesFormat: { type: "string", default: "plain" },
    options: { type: "json", default: () => ({}) },
    seeded: { type: "json", default: () => [] },
    currentRound: { type: "integer", default: 0 },
    championEntrantId: { type: "string", default: null },
    scheduleVersion: { type: "integer", default: 0 },
    startedAt: { type: "date", default: null },
    completedAt: { type: "date", default: null },
    cancelledAt: { type: "date", default: null },
  },
};

const entrants: EntityDefinition = {
  table: "entrants",
  kind: "relational",
  fields: {
    tournamentId: { type: "string", required: true },
    userId: { type: "string", required: true },
    displayName: { type: "string", required: true },
    teamName: { type: "string", default: null },
    roster: { type: "json", default: () => [] },
    status: { type: "string", required: true },
    registrationNo: { type: "integer", required: true },
    rating: { type: "integer", default: null },
    seed: { type: "integer", default: null },
    checkedInAt: { type: "date", default: null },
  },
};

const members: EntityDefinition = {
  table: "members",
  kind: "relational",
  fields: {
    tournamentId: { type: "string", required: true },
    userId: { type: "string", required: true },
    entrantId: { type: "string", required: true },
  },
};

const matches: EntityDefinition = {
  table: "matches",
  kind: "relational",
  fields: {
    tournamentId: { type: "string", required: true },
    key: { type: "string", required: true },
    bracket: { type: "string", required: true },
    round: { type: "integer", required: true },
    position: { type: "integer", required: true },
    groupNo: { type: "integer", default: null },
    sides: { type: "json", required: true },
    status: { type: "string", required: true },
    winner: { type: "integer", default: null },
    winnerTo: { type: "json", default: null },
    loserTo: { type: "json", default: null },
    resetOf: { type: "string", default: null },
    scoreA: { type: "integer", default: null },
    scoreB: { type: "integer", default: null },
    reportA: { type: "json", default: null },
    reportB: { type: "json", default: null },
    disputed: { type: "boolean", default: false },
    resolution: { type: "string", default: null },
    scheduledAt: { type: "date", default: null },
    startedAt: { type: "date", default: null },
    completedAt: { type: "date", default: null },
    channelId: { type: "string", default: null },
    liveSessionId: { type: "string", default: null },
    liveStartedAt: { type: "date", default: null },
    videoId: { type: "string", default: null },
    version: { type: "integer", default: 0 },
  },
};

const chapters: EntityDefinition = {
  table: "chapters",
  kind: "relational",
  fields: {
    videoId: { type: "string", required: true },
    matchId: { type: "string", required: true },
    tournamentId: { type: "string", required: true },
    title: { type: "string", required: true },
    startS: { type: "float", required: true },
    endS: { type: "float", required: true },
  },
};

const channelSessions: EntityDefinition = {
  table: "channel_sessions",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    startedAt: { type: "date", required: true },
    endedAt: { type: "date", default: null },
  },
};

export const TOURNAMENTS_DB: DbMixinOptions = {
  schema: "tournaments",
  entities: { tournaments, entrants, members, matches, chapters, channelSessions },
  primary: "tournaments",
  migrations: [{ name: "tournaments", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
