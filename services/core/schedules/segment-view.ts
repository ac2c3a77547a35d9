import type { Occurrence } from "./recurrence";
import type { ScheduleItem, SegmentDoc, SegmentView } from "./schedule.types";

export const occurrenceId = (segmentId: string, start: Date): string => `${segmentId}:${start.getTime()}`;

export function isOccurrenceCancelled(seg: SegmentDoc, start: Date): boolean {
  return seg.cancelled || seg.cancelledOccurrences.includes(start.toISOString());
}

export function toItem(seg: SegmentDoc, o: Occurrence, liveSessionId: string | null): ScheduleItem {
  return {
    id: occurrenceId(seg.id, o.start),
    segmentId: seg.id,
    channelId: seg.channelId,
    title: seg.title,
    category: seg.category,
    startAt: o.start.toISOString(),
    endAt: o.end.toISOString(),
    durationMin: seg.durationMin,
    recurring: seg.recurring,
    timezone: seg.timezone,
    cancelled: isOccurrenceCancelled(seg, o.start),
    liveSessionId,
  };
}

export function toSegmentView(seg: SegmentDoc): SegmentView {
  return {
    id: seg.id,
    channelId: seg.channelId,
    title: seg.title,
    category: seg.category,
    startAt: seg.startAt.toISOString(),
    durationMin: seg.durationMin,
    recurring: seg.recurring,
    timezone: seg.timezone,
    cancelled: seg.cancelled,
    cancelledOccurrences: seg.cancelledOccurrences,
    nextStartAt: seg.nextNoticeAt ? seg.nextNoticeAt.toISOString() : null,
    version: seg.version,
    updatedAt: new Date(seg.updatedAt).toISOString(),
  };
}
