/**
 * schedules: a channel's stream schedule (single and weekly segments, like
 * Twitch's schedule API), as JSON and as an iCalendar feed; "starting soon"
 * events before each occurrence; live sessions linked to the occurrence they
 * started in. Domain logic lives in the neighbouring files; this file wires.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import type { ArenaContext, ServiceActions } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin, durableHandler } from "../../../mixins/durable-events";
import { getSchedule, listSegments, scheduleIcs } from "./schedule-read";
import type { SchedulesSettings, SchedulesThis } from "./schedules.context";
import { SCHEDULES_DB } from "./schedules.entities";
import * as P from "./schedules.params";
import { createSegment, removeSegment, updateSegment } from "./segment-actions";
import { startNotices, stopNotices } from "./starting-soon";
import { linkStartedStream } from "./stream-link";
import { scheduleDeletionHandlers } from "./channel-deletion";
import { exportUserData } from "./user-data";
import "../../media/streams/streams.events";
import "./schedules.contract";
import "./schedules.events";

export type { SchedulesSettings, SchedulesThis } from "./schedules.context";

const SchedulesService: ServiceSchema<SchedulesSettings> = {
  name: "schedules",
  mixins: [DbMixin(SCHEDULES_DB), DurableEventsMixin()],

  settings: {
    startingSoonLeadMs: 15 * 60_000,
    noticePollMs: 30_000,
    linkEarlyMs: 30 * 60_000,
    horizonDays: 90,
    maxSegmentsPerChannel: 100,
    runNotices: true,
  },

  actions: {
    /** Occurrences from `from` (default now) in time order, recurring segments expanded. */
    get: {
      params: P.GET_SCHEDULE,
      handler(this: SchedulesThis, ctx) {
        return getSchedule(this, ctx);
      },
    },

    /** The schedule as an iCalendar feed (text/calendar). */
    ics: {
      params: P.CHANNEL,
      handler(this: SchedulesThis, ctx) {
        return scheduleIcs(this, ctx);
      },
    },

    /** The segments as the owner edits them. */
    segments: {
      params: P.CHANNEL,
      handler(this: SchedulesThis, ctx) {
        return listSegments(this, ctx);
      },
    },

    /** Channel owner adds a segment. */
    createSegment: {
      params: P.CREATE_SEGMENT,
      handler(this: SchedulesThis, ctx) {
        return createSegment(this, ctx);
      },
    },

    /** Channel owner changes a segment, cancels it, or cancels/restores single occurrences. */
    updateSegment: {
      params: P.UPDATE_SEGMENT,
      handler(this: SchedulesThis, ctx) {
        return updateSegment(this, ctx);
      },
    },

    /** Channel owner deletes a segment. */
    removeSegment: {
      params: P.SEGMENT,
      handler(this: SchedulesThis, ctx) {
        return removeSegment(this, ctx);
      },
    },

    /** Internal: what schedules holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: SchedulesThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"schedules", SchedulesThis>,

  channels: {
    ...scheduleDeletionHandlers,
    ...durableHandler("stream.started", {
      group: "schedules",
      async handler(this: Service, envelope) {
        await linkStartedStream(this as unknown as SchedulesThis, envelope.payload);
      },
    }),
  },

  created(this: Service<SchedulesSettings>) {
    const svc = this as SchedulesThis;
    svc.publicUrl = getConfig().publicUrl.replace(/\/+$/, "");
  },

  started(this: Service<SchedulesSettings>) {
    const svc = this as SchedulesThis;
    if (svc.settings.runNotices) startNotices(svc);
  },

  async stopped(this: Service<SchedulesSettings>) {
    await stopNotices(this as SchedulesThis);
  },
};

export default SchedulesService;
