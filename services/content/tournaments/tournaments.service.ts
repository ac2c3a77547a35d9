/**
 * tournaments: the seed's Event Service. Organizers create tournaments and
 * run them through registration, check-in and play; players register,
 * check in and report; brackets (single/double elimination, round robin,
 * Swiss) advance atomically; matches are tied to the live stream that shows
 * them and to a chapter of the VOD it becomes. Domain logic lives in the
 * neighbouring files (the engine in pure functions); this file wires.
 */
import type { ServiceSchema } from "moleculer";
import type { ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin, durableHandler } from "../../../mixins/durable-events";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { getBracket, getSchedule, getStandings, listMatches, scheduleIcs } from "./bracket-read";
import { matchViews } from "./bracket-read";
import { pushAfterCommit } from "./live-updates";
import { disqualify, markNoShow, overrideResult, reportResult } from "./match-actions";
import { assignChannel, channelMatch, scheduleMatch, videoChapters } from "./match-admin";
import { approve, checkIn, listEntrants, register, reject, setRating, withdraw } from "./registration-actions";
import { startTournament } from "./start-tournament";
import { onStreamEnded, onStreamStarted, onVideoPublished } from "./stream-link";
import { createTournament, updateTournament } from "./tournament-actions";
import { getTournament, listTournaments } from "./tournament-read";
import { cancelTournament, transition } from "./tournament-transitions";
import type { TournamentsSettings, TournamentsThis } from "./tournaments.context";
import { TOURNAMENTS_DB } from "./tournaments.entities";
import { KeyedQueue } from "./keyed-queue";
import { TOPIC_EVENTS } from "./tournaments.events";
import type { MatchDoc } from "./tournament.types";
import * as P from "./tournaments.params";
import "./tournaments.contract";

export type { TournamentsSettings, TournamentsThis } from "./tournaments.context";

/** Live updates for matches a stream event touched, one topic event per tournament. */
async function pushMatches(svc: TournamentsThis, docs: MatchDoc[]): Promise<void> {
  const byTournament = new Map<string, MatchDoc[]>();
  for (const d of docs) byTournament.set(d.tournamentId, [...(byTournament.get(d.tournamentId) ?? []), d]);
  for (const [id, list] of byTournament)
    pushAfterCommit(svc, id, TOPIC_EVENTS.matches, { matches: await matchViews(svc, list) });
}

const TournamentsService: ServiceSchema<TournamentsSettings> = {
  name: "tournaments",
  mixins: [DbMixin(TOURNAMENTS_DB), DurableEventsMixin()],

  settings: {
    maxEntrantsLimit: 4096,
    liveUpdates: true,
  },

  actions: {
    /** Organizer (role) creates a draft. */
    create: {
      params: P.CREATE_TOURNAMENT,
      handler(ctx) {
        return createTournament(this, ctx);
      },
    },
    /** Organizer edits; format and size only while a draft. */
    update: {
      params: P.UPDATE_TOURNAMENT,
      handler(ctx) {
        return updateTournament(this, ctx);
      },
    },
    /** A tournament (drafts: organizer and admins only). */
    get: {
      params: P.BY_ID,
      handler(ctx) {
        return getTournament(this, ctx);
      },
    },
    /** Cursor-paged listing by start time; filters: status, organizer, game. */
    list: {
      params: P.LIST_TOURNAMENTS,
      handler(ctx) {
        return listTournaments(this, ctx);
      },
    },
    openRegistration: {
      params: P.BY_ID,
      handler(ctx) {
        return transition(this, ctx, "open_registration");
      },
    },
    openCheckIn: {
      params: P.BY_ID,
      handler(ctx) {
        return transition(this, ctx, "open_check_in");
      },
    },
    /** Fixes the field (check-in, waitlist), seeds it and builds the bracket. */
    start: {
      params: P.START,
      handler(ctx) {
        return startTournament(this, ctx);
      },
    },
    cancel: {
      params: P.BY_ID,
      handler(ctx) {
        return cancelTournament(this, ctx);
      },
    },

    /** The caller registers (solo, or as captain with a roster); confirmed, waitlisted or pending approval. */
    register: {
      params: P.REGISTER,
      handler(ctx) {
        return register(this, ctx);
      },
    },
    withdraw: {
      params: P.ENTRANT_REF,
      handler(ctx) {
        return withdraw(this, ctx);
      },
    },
    approve: {
      params: P.ENTRANT_REF,
      handler(ctx) {
        return approve(this, ctx);
      },
    },
    reject: {
      params: P.ENTRANT_REF,
      handler(ctx) {
        return reject(this, ctx);
      },
    },
    checkIn: {
      params: P.ENTRANT_REF,
      handler(ctx) {
        return checkIn(this, ctx);
      },
    },
    setRating: {
      params: P.SET_RATING,
      handler(ctx) {
        return setRating(this, ctx);
      },
    },
    entrants: {
      params: P.LIST_ENTRANTS,
      handler(ctx) {
        return listEntrants(this, ctx);
      },
    },

    bracket: {
      params: P.BY_ID,
      handler(ctx) {
        return getBracket(this, ctx);
      },
    },
    matches: {
      params: P.LIST_MATCHES,
      handler(ctx) {
        return listMatches(this, ctx);
      },
    },
    standings: {
      params: P.BY_ID,
      handler(ctx) {
        return getStandings(this, ctx);
      },
    },
    schedule: {
      params: P.BY_ID,
      handler(ctx) {
        return getSchedule(this, ctx);
      },
    },
    scheduleIcs: {
      params: P.BY_ID,
      handler(ctx) {
        return scheduleIcs(this, ctx);
      },
    },

    /** One side reports; matching reports decide the match, conflicting ones open a dispute. */
    report: {
      params: P.REPORT,
      handler(ctx) {
        return reportResult(this, ctx);
      },
    },
    /** Organizer decides a match (disputes, corrections). */
    override: {
      params: P.OVERRIDE,
      handler(ctx) {
        return overrideResult(this, ctx);
      },
    },
    noShow: {
      params: P.NO_SHOW,
      handler(ctx) {
        return markNoShow(this, ctx);
      },
    },
    disqualify: {
      params: P.ENTRANT_REF,
      handler(ctx) {
        return disqualify(this, ctx);
      },
    },
    scheduleMatch: {
      params: P.SCHEDULE_MATCH,
      handler(ctx) {
        return scheduleMatch(this, ctx);
      },
    },
    assignChannel: {
      params: P.ASSIGN_CHANNEL,
      handler(ctx) {
        return assignChannel(this, ctx);
      },
    },
    /** The match a live channel is showing. */
    channelMatch: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return channelMatch(this, ctx);
      },
    },
    /** Match chapters of a VOD. */
    videoChapters: {
      params: P.BY_VIDEO,
      handler(ctx) {
        return videoChapters(this, ctx);
      },
    },

    /** Internal: what tournaments holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: TournamentsThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"tournaments", TournamentsThis>,

  created() {
    const state: Pick<TournamentsThis, "decisions"> = { decisions: new KeyedQueue() };
    Object.assign(this, state);
  },

  channels: {
    ...userDeletionHandlers,
    ...durableHandler<"stream.started", TournamentsThis>("stream.started", {
      group: "tournaments",
      async handler(envelope) {
        await pushMatches(this, await this.db.transaction(() => onStreamStarted(this, envelope.payload)));
      },
    }),
    ...durableHandler<"stream.ended", TournamentsThis>("stream.ended", {
      group: "tournaments",
      async handler(envelope) {
        await pushMatches(this, await this.db.transaction(() => onStreamEnded(this, envelope.payload)));
      },
    }),
    ...durableHandler<"video.published", TournamentsThis>("video.published", {
      group: "tournaments",
      async handler(envelope) {
        await pushMatches(this, await this.db.transaction(() => onVideoPublished(this, envelope.payload)));
      },
    }),
  },
};

export default TournamentsService;
