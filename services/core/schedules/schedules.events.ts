/**
 * Durable events of the schedules service. Notifications turns
 * schedule.segment.starting into a "starting soon" notice for the channel's
 * followers who opted in; it goes out once per occurrence, `leadMinutes`
 * before it starts (never for a cancelled one, never after it started).
 */
export interface ScheduleSegmentStarting {
  /** `<segmentId>:<start epoch ms>`, as in GET /channels/:id/schedule. */
  occurrenceId: string;
  segmentId: string;
  channelId: string;
  title: string;
  category: string | null;
  startsAt: string;
  endsAt: string;
  leadMinutes: number;
}

/** A live session started inside an occurrence's window and is now linked to it. */
export interface ScheduleSegmentLive {
  occurrenceId: string;
  segmentId: string;
  channelId: string;
  sessionId: string;
  startedAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "schedule.segment.starting": ScheduleSegmentStarting;
    "schedule.segment.live": ScheduleSegmentLive;
  }
}
