import { s } from "../../../lib/http/response-schema";
import type { ScheduleItem, SchedulePage, SegmentView } from "./schedule.types";
import type { SchedulesUserData, SegmentLiveSession } from "./schedules.contract";

/** Response bodies of a channel's schedule routes, typed by the actions' results (schedules.routes.ts). */
export const SCHEDULE_PAGE = s.named(
  "SchedulePage",
  s.object<SchedulePage>()({
    channelId: s.string(),
    items: s.array(
      s.named(
        "ScheduleItem",
        s.object<ScheduleItem>()({
          id: s.string(),
          segmentId: s.string(),
          channelId: s.string(),
          title: s.string(),
          category: s.nullable(s.string()),
          startAt: s.dateTime(),
          endAt: s.dateTime(),
          durationMin: s.integer(),
          recurring: s.boolean(),
          timezone: s.string(),
          cancelled: s.boolean(),
          liveSessionId: s.nullable(s.string()),
        }),
      ),
    ),
    nextCursor: s.nullable(s.string()),
  }),
);

export const SEGMENT = s.named(
  "ScheduleSegment",
  s.object<SegmentView>()({
    id: s.string(),
    channelId: s.string(),
    title: s.string(),
    category: s.nullable(s.string()),
    startAt: s.dateTime(),
    durationMin: s.integer(),
    recurring: s.boolean(),
    timezone: s.string(),
    cancelled: s.boolean(),
    cancelledOccurrences: s.array(s.dateTime()),
    nextStartAt: s.nullable(s.dateTime()),
    version: s.integer(),
    updatedAt: s.dateTime(),
  }),
);

export const SEGMENTS = s.object<{ items: SegmentView[] }>()({ items: s.array(SEGMENT) });

export const SEGMENT_DELETED = s.object<{ id: string; deleted: true }>()({ id: s.string(), deleted: s.literal(true) });

/** schedules' section of GET /me/export: the user's channels' segments and the live sessions linked to them. */
export const SCHEDULES_USER_DATA = s.named(
  "SchedulesUserData",
  s.object<SchedulesUserData>()({
    segments: s.array(SEGMENT),
    liveSessions: s.array(
      s.named(
        "SegmentLiveSessionRecord",
        s.object<SegmentLiveSession>()({
          sessionId: s.string(),
          channelId: s.string(),
          segmentId: s.string(),
          occurrenceStart: s.date(),
          startedAt: s.date(),
        }),
      ),
    ),
  }),
);
