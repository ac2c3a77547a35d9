/**
 * Catalog entries of tournaments, for the players in them: a confirmed
 * registration (or a move up from the waitlist), a match ready to play, and
 * a cancelled tournament.
 */
import "../../content/tournaments/tournaments.events";
import { defineType } from "./catalog.types";
import { ALL, everywhere, IN_APP_ONLY, inboxOnly, TITLE } from "./catalog-presets";
import { plainText } from "./plain-text";

export const registration = defineType({
  type: "tournament.registration",
  label: "Your tournament registration is confirmed",
  event: "tournament.registration.confirmed",
  channels: ALL,
  defaults: everywhere,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set([p.userId, ...p.memberIds])] },
      sourceKey: `registration:${p.tournamentId}:${p.entrantId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: plainText(`You're in: ${p.tournamentName}`, TITLE),
        body: p.fromWaitlist ? "A spot opened and you moved up from the waitlist." : null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId, entrantId: p.entrantId },
      },
    };
  },
});

export const matchReady = defineType({
  type: "tournament.match",
  label: "Your tournament match is ready",
  event: "tournament.match.ready",
  channels: ALL,
  defaults: everywhere,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set(p.sides.flatMap((s) => s.memberIds))] },
      sourceKey: `match:${p.matchId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: `Your match is ready (round ${p.round})`,
        body: null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId, matchId: p.matchId },
      },
    };
  },
});

export const cancelled = defineType({
  type: "tournament.cancelled",
  label: "A tournament you registered for is cancelled",
  event: "tournament.cancelled",
  channels: IN_APP_ONLY,
  defaults: inboxOnly,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set(p.memberIds)] },
      sourceKey: `tournament-cancelled:${p.tournamentId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: plainText(`${p.name} was cancelled`, TITLE),
        body: null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId },
      },
    };
  },
});
