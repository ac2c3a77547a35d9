/**
 * "Starting soon": every node polls for segments whose next occurrence
 * enters the lead time and moves each one's `nextNoticeAt` to the following
 * occurrence with a conditional update (one node wins), publishing
 * schedule.segment.starting in the same transaction (outbox): one event per
 * occurrence however many nodes run, and none lost to a crash in between.
 * Cancelled occurrences, and ones already started when the pass comes
 * (nodes were down), are skipped without an event.
 */
import { nextStartAfter } from "./recurrence";
import type { SchedulesThis } from "./schedules.context";
import type { SegmentDoc } from "./schedule.types";
import { isOccurrenceCancelled, occurrenceId } from "./segment-view";

const BATCH = 100;

async function advance(svc: SchedulesThis, seg: SegmentDoc, now: Date): Promise<boolean> {
  const start = seg.nextNoticeAt as Date;
  return svc.db.transaction(async () => {
    const next = seg.recurring ? nextStartAfter(seg, start) : null;
    const won = await svc.stores.segments.updateMany(
      { id: seg.id, nextNoticeAt: start, version: seg.version },
      { nextNoticeAt: next },
    );
    if (won !== 1 || start <= now || isOccurrenceCancelled(seg, start)) return false;
    const lead = svc.settings.startingSoonLeadMs;
    await svc.publishDurable("schedule.segment.starting", {
      occurrenceId: occurrenceId(seg.id, start),
      segmentId: seg.id,
      channelId: seg.channelId,
      title: seg.title,
      category: seg.category,
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + seg.durationMin * 60_000).toISOString(),
      leadMinutes: Math.round(lead / 60_000),
    });
    return true;
  });
}

/** One pass; returns how many events it published. */
export async function sendStartingSoon(svc: SchedulesThis, now = new Date()): Promise<number> {
  let sent = 0;
  for (;;) {
    const due = await svc.stores.segments.find({
      query: { cancelled: false, nextNoticeAt: { $lte: new Date(now.getTime() + svc.settings.startingSoonLeadMs) } },
      sort: ["nextNoticeAt", "id"],
      limit: BATCH,
    });
    for (const seg of due) if (await advance(svc, seg, now)) sent++;
    if (due.length < BATCH) return sent;
  }
}

export function startNotices(svc: SchedulesThis): void {
  const pass = (): void => {
    if (svc.noticePass) return;
    svc.noticePass = sendStartingSoon(svc)
      .catch((err: unknown) => {
        svc.logger.warn("Starting-soon pass failed; will retry", err);
        return 0;
      })
      .finally(() => {
        svc.noticePass = undefined;
      });
  };
  svc.noticeTimer = setInterval(pass, svc.settings.noticePollMs);
  svc.noticeTimer.unref();
  pass();
}

export async function stopNotices(svc: SchedulesThis): Promise<void> {
  if (svc.noticeTimer) clearInterval(svc.noticeTimer);
  svc.noticeTimer = undefined;
  await svc.noticePass;
}
