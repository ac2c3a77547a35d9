/**
 * A live session that starts inside an occurrence's window (from
 * `linkEarlyMs` before its start until its end) is linked to that
 * occurrence: the schedule shows it as live, and schedule.segment.live tells
 * whoever cares. Learnt from the durable stream.started event; a redelivered
 * event finds the link (keyed by session id) and does nothing.
 */
import type { StreamStarted } from "../../media/streams/streams.events";
import { occurrenceAt, type Occurrence } from "./recurrence";
import type { SchedulesThis } from "./schedules.context";
import type { SegmentDoc } from "./schedule.types";
import { isOccurrenceCancelled, occurrenceId } from "./segment-view";

export async function linkStartedStream(svc: SchedulesThis, e: StreamStarted): Promise<string | null> {
  const startedAt = new Date(e.startedAt);
  const segments = await svc.stores.segments.find({
    query: { channelId: e.channelId, cancelled: false },
    limit: svc.settings.maxSegmentsPerChannel,
  });
  let best: { seg: SegmentDoc; o: Occurrence } | null = null;
  for (const seg of segments) {
    const o = occurrenceAt(seg, startedAt, svc.settings.linkEarlyMs);
    if (!o || isOccurrenceCancelled(seg, o.start)) continue;
    const distance = (x: Occurrence) => Math.abs(x.start.getTime() - startedAt.getTime());
    if (!best || distance(o) < distance(best.o)) best = { seg, o };
  }
  if (!best) return null;
  const inserted = await svc.stores.sessions.insertIfAbsent({
    id: e.sessionId,
    channelId: e.channelId,
    segmentId: best.seg.id,
    occurrenceStart: best.o.start,
    startedAt,
  });
  if (!inserted) return null;
  const id = occurrenceId(best.seg.id, best.o.start);
  await svc.publishDurable("schedule.segment.live", {
    occurrenceId: id,
    segmentId: best.seg.id,
    channelId: e.channelId,
    sessionId: e.sessionId,
    startedAt: startedAt.toISOString(),
  });
  return id;
}
