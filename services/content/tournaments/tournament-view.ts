/** Stored documents → what clients see. */
import { BYE } from "./bracket.types";
import type {
  ChapterDoc,
  ChapterView,
  EntrantDoc,
  EntrantView,
  MatchDoc,
  MatchSideView,
  MatchView,
  TournamentDoc,
  TournamentView,
} from "./tournament.types";

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toTournamentView(t: TournamentDoc, counts: { confirmed: number; waitlisted: number }): TournamentView {
  return {
    id: t.id,
    organizerId: t.organizerId,
    name: t.name,
    game: t.game,
    category: t.category,
    format: t.format,
    status: t.status,
    mode: t.mode,
    teamSizeMin: t.teamSizeMin,
    teamSizeMax: t.teamSizeMax,
    minEntrants: t.minEntrants,
    maxEntrants: t.maxEntrants,
    requiresApproval: t.requiresApproval,
    registrationOpensAt: iso(t.registrationOpensAt),
    registrationClosesAt: iso(t.registrationClosesAt),
    checkInOpensAt: iso(t.checkInOpensAt),
    checkInClosesAt: iso(t.checkInClosesAt),
    startsAt: t.startsAt.toISOString(),
    rules: t.rules,
    rulesFormat: t.rulesFormat,
    options: t.options,
    currentRound: t.currentRound,
    championEntrantId: t.championEntrantId,
    confirmedCount: counts.confirmed,
    waitlistCount: counts.waitlisted,
    startedAt: iso(t.startedAt),
    completedAt: iso(t.completedAt),
    cancelledAt: iso(t.cancelledAt),
    createdAt: t.createdAt.toISOString(),
  };
}

export function toEntrantView(e: EntrantDoc, waitlistPosition: number | null = null): EntrantView {
  return {
    id: e.id,
    tournamentId: e.tournamentId,
    userId: e.userId,
    displayName: e.displayName,
    teamName: e.teamName,
    roster: e.roster,
    status: e.status,
    waitlistPosition: e.status === "waitlisted" ? waitlistPosition : null,
    seed: e.seed,
    rating: e.rating,
    checkedIn: e.checkedInAt !== null,
    registeredAt: e.createdAt.toISOString(),
  };
}

/** The name shown for an entrant: the team name, else the player's display name. */
export const entrantName = (e: EntrantDoc): string => e.teamName ?? e.displayName;

export function reportingState(m: MatchDoc): MatchView["reporting"] {
  if (m.status !== "ready") return "closed";
  if (m.disputed) return "disputed";
  return m.reportA || m.reportB ? "awaiting_confirmation" : "open";
}

export function toMatchView(
  m: MatchDoc,
  names: ReadonlyMap<string, string>,
  liveSessions: ReadonlySet<string> = new Set(),
): MatchView {
  const side = (i: 0 | 1): MatchSideView => {
    const s = m.sides[i];
    const entrantId = s === null || s === BYE ? null : s;
    return {
      entrantId,
      name: entrantId ? (names.get(entrantId) ?? null) : null,
      bye: s === BYE,
      score: i === 0 ? m.scoreA : m.scoreB,
    };
  };
  const winnerSide = m.winner === null ? null : m.sides[m.winner];
  return {
    id: m.id,
    tournamentId: m.tournamentId,
    key: m.key,
    bracket: m.bracket,
    round: m.round,
    position: m.position,
    group: m.groupNo,
    status: m.status,
    reporting: reportingState(m),
    sides: [side(0), side(1)],
    winnerEntrantId: winnerSide === null || winnerSide === BYE ? null : winnerSide,
    resolution: m.resolution,
    scheduledAt: iso(m.scheduledAt),
    startedAt: iso(m.startedAt),
    completedAt: iso(m.completedAt),
    channelId: m.channelId,
    liveSessionId: m.liveSessionId,
    live: m.liveSessionId !== null && liveSessions.has(m.liveSessionId),
    videoId: m.videoId,
    version: m.version,
  };
}

export function toChapterView(c: ChapterDoc): ChapterView {
  return {
    videoId: c.videoId,
    kind: "match",
    matchId: c.matchId,
    tournamentId: c.tournamentId,
    markerId: null,
    title: c.title,
    startS: c.startS,
    endS: c.endS,
  };
}
