/**
 * Public reads of a channel's schedule: occurrences in time order from a
 * given instant (JSON, cursor pages), and the same as an iCalendar feed
 * calendar apps subscribe to. Recurring segments are expanded here, within
 * the horizon, rather than stored occurrence by occurrence.
 */
import { callAction } from "../../../lib/contracts";
import { renderCalendar, type CalendarEvent } from "../../../lib/calendar/ical";
import { decodeCursor, encodeCursor, pageLimit, type CursorPageParams } from "../../../lib/pagination";
import { occurrencesBetween, type Occurrence } from "./recurrence";
import type { SchedulesContext, SchedulesThis } from "./schedules.context";
import type { SchedulePage, SegmentDoc, SegmentView } from "./schedule.types";
import { isOccurrenceCancelled, occurrenceId, toItem, toSegmentView } from "./segment-view";

export interface GetScheduleParams extends CursorPageParams {
  channelId: string;
  /** List occurrences that end after this instant (default: now). */
  from?: Date;
}

const DAY_MS = 86_400_000;
/** How far back the feed keeps past occurrences, so a calendar still shows last week's shows. */
const FEED_PAST_MS = 14 * DAY_MS;

interface Expanded {
  seg: SegmentDoc;
  o: Occurrence;
}

function expand(segments: readonly SegmentDoc[], from: Date, to: Date): Expanded[] {
  return segments
    .flatMap((seg) => occurrencesBetween(seg, from, to).map((o) => ({ seg, o })))
    .sort((a, b) => a.o.start.getTime() - b.o.start.getTime() || (a.seg.id < b.seg.id ? -1 : 1));
}

/** Live sessions linked to occurrences of these segments, by occurrence id. */
async function linkedSessions(svc: SchedulesThis, channelId: string, from: Date): Promise<Map<string, string>> {
  const rows = await svc.stores.sessions.find({
    query: { channelId, occurrenceStart: { $gte: new Date(from.getTime() - 2 * DAY_MS) } },
    sort: ["occurrenceStart"],
    limit: 1000,
  });
  const out = new Map<string, string>();
  for (const r of rows) {
    const key = occurrenceId(r.segmentId, r.occurrenceStart);
    // The first session of an occurrence is the one it is linked to (a reconnect starts another).
    if (!out.has(key)) out.set(key, r.id);
  }
  return out;
}

export async function getSchedule(svc: SchedulesThis, ctx: SchedulesContext<GetScheduleParams>): Promise<SchedulePage> {
  const { channelId } = ctx.params;
  // 404 for an unknown (or hidden) channel, as every channel sub-resource.
  await callAction(ctx, "channels.get", { id: channelId });
  const limit = pageLimit(ctx.params);
  const from = ctx.params.from ?? new Date();
  const after = ctx.params.cursor ? decodeCursor(ctx.params.cursor, 2) : null;
  const segments = await svc.stores.segments.find({ query: { channelId }, limit: svc.settings.maxSegmentsPerChannel });
  const horizon = new Date(from.getTime() + svc.settings.horizonDays * DAY_MS);
  const all = expand(segments, from, horizon).filter(
    ({ seg, o }) =>
      !after ||
      o.start.getTime() > Number(after[0]) ||
      (o.start.getTime() === Number(after[0]) && seg.id > String(after[1])),
  );
  const page = all.slice(0, limit);
  const sessions = await linkedSessions(svc, channelId, from);
  const last = page[page.length - 1];
  return {
    channelId,
    items: page.map(({ seg, o }) => toItem(seg, o, sessions.get(occurrenceId(seg.id, o.start)) ?? null)),
    nextCursor: all.length > limit && last ? encodeCursor([last.o.start.getTime(), last.seg.id]) : null,
  };
}

/** The segments themselves (what the owner edits), in order of their first start. */
export async function listSegments(
  svc: SchedulesThis,
  ctx: SchedulesContext<{ channelId: string }>,
): Promise<{ items: SegmentView[] }> {
  await callAction(ctx, "channels.get", { id: ctx.params.channelId });
  const segments = await svc.stores.segments.find({
    query: { channelId: ctx.params.channelId },
    sort: ["startAt", "id"],
    limit: svc.settings.maxSegmentsPerChannel,
  });
  return { items: segments.map(toSegmentView) };
}

export async function scheduleIcs(svc: SchedulesThis, ctx: SchedulesContext<{ channelId: string }>): Promise<string> {
  const channel = await callAction(ctx, "channels.get", { id: ctx.params.channelId });
  const now = Date.now();
  const segments = await svc.stores.segments.find({
    query: { channelId: channel.id },
    limit: svc.settings.maxSegmentsPerChannel,
  });
  const occurrences = expand(segments, new Date(now - FEED_PAST_MS), new Date(now + svc.settings.horizonDays * DAY_MS));
  const publicUrl = svc.publicUrl;
  const events: CalendarEvent[] = occurrences.map(({ seg, o }) => ({
    uid: `schedule-${occurrenceId(seg.id, o.start)}@arena`,
    start: o.start,
    end: o.end,
    summary: `${channel.title}: ${seg.title}`,
    description: seg.category ? `${seg.category} · live on Arena` : "Live on Arena",
    sequence: seg.version,
    updatedAt: new Date(seg.updatedAt),
    cancelled: isOccurrenceCancelled(seg, o.start),
    categories: seg.category ? [seg.category] : undefined,
    url: `${publicUrl}/c/${encodeURIComponent(channel.slug)}`,
  }));
  ctx.meta.$responseType = "text/calendar; charset=utf-8";
  ctx.meta.$responseHeaders = {
    "Content-Disposition": `inline; filename="schedule-${channel.id}.ics"`,
    "Cache-Control": "public, max-age=60",
  };
  return renderCalendar(`-//Arena//Channel ${channel.id}//EN`, `${channel.title} schedule`, events);
}
