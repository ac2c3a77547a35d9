/**
 * The actions the schedules service offers (name → params and result);
 * schedules.service.ts is checked against it.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { GetScheduleParams } from "./schedule-read";
import type { CreateSegmentParams, SegmentRef, UpdateSegmentParams } from "./segment-actions";
import type { SchedulePage, SegmentView } from "./schedule.types";

/** A live session linked to one of the user's segments. */
export interface SegmentLiveSession {
  sessionId: string;
  channelId: string;
  segmentId: string;
  occurrenceStart: Date;
  startedAt: Date;
}

/** schedules' section of GET /me/export: the segments of the user's channels and the live sessions linked to them. */
export type SchedulesUserData = { segments: SegmentView[]; liveSessions: SegmentLiveSession[] };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what schedules holds of a user, for GET /me/export (the user or an admin). */
    "schedules.exportUserData": { params: UserDataParams; result: SchedulesUserData };
    "schedules.get": { params: GetScheduleParams; result: SchedulePage };
    /** text/calendar body. */
    "schedules.ics": { params: { channelId: string }; result: string };
    "schedules.segments": { params: { channelId: string }; result: { items: SegmentView[] } };
    "schedules.createSegment": { params: CreateSegmentParams; result: SegmentView };
    "schedules.updateSegment": { params: UpdateSegmentParams; result: SegmentView };
    "schedules.removeSegment": { params: SegmentRef; result: { id: string; deleted: true } };
  }
}
