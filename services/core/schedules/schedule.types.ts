import type { BaseDocument } from "../../../mixins/db";

/** One entry of a channel's schedule: once, or every week at the same local time. */
export interface SegmentDoc extends BaseDocument {
  channelId: string;
  title: string;
  category: string | null;
  /** The first (or only) occurrence. */
  startAt: Date;
  durationMin: number;
  recurring: boolean;
  /** IANA zone whose wall clock a recurring segment keeps. */
  timezone: string;
  /** The whole segment is off (no occurrence happens). */
  cancelled: boolean;
  /** Starts (ISO) of single occurrences that are off. */
  cancelledOccurrences: string[];
  /** Start of the next occurrence whose "starting soon" event is still to go; null when none is left. */
  nextNoticeAt: Date | null;
  /** Grows on every change: calendar SEQUENCE. */
  version: number;
}

/** A live session that started inside an occurrence's window. */
export interface SegmentSessionDoc extends BaseDocument {
  /** The live session id. */
  id: string;
  channelId: string;
  segmentId: string;
  occurrenceStart: Date;
  startedAt: Date;
}

/** One occurrence as clients see it. */
export interface ScheduleItem {
  /** `<segmentId>:<start epoch ms>`: stable for an occurrence. */
  id: string;
  segmentId: string;
  channelId: string;
  title: string;
  category: string | null;
  startAt: string;
  endAt: string;
  durationMin: number;
  recurring: boolean;
  timezone: string;
  cancelled: boolean;
  /** The live session that started in this occurrence's window, once one did. */
  liveSessionId: string | null;
}

export interface SegmentView {
  id: string;
  channelId: string;
  title: string;
  category: string | null;
  startAt: string;
  durationMin: number;
  recurring: boolean;
  timezone: string;
  cancelled: boolean;
  cancelledOccurrences: string[];
  nextStartAt: string | null;
  version: number;
  updatedAt: string;
}

export interface SchedulePage {
  channelId: string;
  items: ScheduleItem[];
  nextCursor: string | null;
}
