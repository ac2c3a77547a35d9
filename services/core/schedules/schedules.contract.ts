/**
 * The actions the schedules service offers (name → params and result);
 * schedules.service.ts is checked against it.
 */
import type { UserDataParams, UserDataSection } from "../../../lib/contracts/user-data";
import type { GetScheduleParams } from "./schedule-read";
import type { CreateSegmentParams, SegmentRef, UpdateSegmentParams } from "./segment-actions";
import type { SchedulePage, SegmentView } from "./schedule.types";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what schedules holds of a user, for GET /me/export (the user or an admin). */
    "schedules.exportUserData": { params: UserDataParams; result: UserDataSection };
    "schedules.get": { params: GetScheduleParams; result: SchedulePage };
    /** text/calendar body. */
    "schedules.ics": { params: { channelId: string }; result: string };
    "schedules.segments": { params: { channelId: string }; result: { items: SegmentView[] } };
    "schedules.createSegment": { params: CreateSegmentParams; result: SegmentView };
    "schedules.updateSegment": { params: UpdateSegmentParams; result: SegmentView };
    "schedules.removeSegment": { params: SegmentRef; result: { id: string; deleted: true } };
  }
}
