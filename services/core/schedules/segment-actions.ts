/**
 * The channel owner (or an admin) writes the schedule: segments are
 * created, changed, cancelled (whole or one occurrence) and deleted.
 * Ownership is the channels service's answer, asked on every write.
 */
import { assertOwner } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import { ConflictError, NotFoundError, ValidationError } from "../../../lib/errors";
import { markCreated } from "../../../lib/http/response-meta";
import { toPlainText } from "../../../lib/text/plain-text";
import { isTimeZone, nextStartAfter, occurrencesBetween, type SegmentTiming } from "./recurrence";
import type { SchedulesContext, SchedulesThis } from "./schedules.context";
import type { SegmentDoc, SegmentView } from "./schedule.types";
import { toSegmentView } from "./segment-view";

export interface CreateSegmentParams {
  channelId: string;
  title: string;
  category?: string | null;
  startAt: Date;
  durationMin: number;
  recurring?: boolean;
  timezone?: string;
}

export interface UpdateSegmentParams {
  channelId: string;
  segmentId: string;
  title?: string;
  category?: string | null;
  startAt?: Date;
  durationMin?: number;
  recurring?: boolean;
  timezone?: string;
  cancelled?: boolean;
  cancelOccurrences?: Date[];
  restoreOccurrences?: Date[];
}

export interface SegmentRef {
  channelId: string;
  segmentId: string;
}

async function assertChannelOwner(ctx: SchedulesContext<{ channelId: string }>): Promise<void> {
  const channel = await callAction(ctx, "channels.get", { id: ctx.params.channelId });
  assertOwner(ctx, channel.ownerId, "channel's schedule");
}

function checkTimezone(timezone: string): string {
  if (!isTimeZone(timezone))
    throw new ValidationError("Unknown time zone", [
      { field: "timezone", message: "An IANA zone such as Europe/Berlin" },
    ]);
  return timezone;
}

function cleanTitle(title: string): string {
  const text = toPlainText(title).trim();
  if (!text) throw new ValidationError("Title is empty", [{ field: "title", message: "Give the segment a title" }]);
  return text.slice(0, 140);
}

/** The next occurrence still to be announced: the first one starting after now (none for a cancelled segment). */
function nextNotice(seg: SegmentTiming & { cancelled: boolean }, now = new Date()): Date | null {
  return seg.cancelled ? null : nextStartAfter(seg, now);
}

export async function loadSegment(svc: SchedulesThis, ref: SegmentRef): Promise<SegmentDoc> {
  const seg = await svc.stores.segments.findById(ref.segmentId);
  if (!seg || seg.channelId !== ref.channelId) throw new NotFoundError("Segment", ref.segmentId);
  return seg;
}

export async function createSegment(
  svc: SchedulesThis,
  ctx: SchedulesContext<CreateSegmentParams>,
): Promise<SegmentView> {
  await assertChannelOwner(ctx);
  const p = ctx.params;
  const count = await svc.stores.segments.count({ channelId: p.channelId });
  if (count >= svc.settings.maxSegmentsPerChannel)
    throw new ConflictError(`A channel may have at most ${svc.settings.maxSegmentsPerChannel} schedule segments`);
  const timing = {
    startAt: p.startAt,
    durationMin: p.durationMin,
    recurring: p.recurring ?? false,
    timezone: checkTimezone(p.timezone ?? "UTC"),
  };
  const seg = await svc.stores.segments.insert({
    channelId: p.channelId,
    title: cleanTitle(p.title),
    category: p.category ? toPlainText(p.category).trim() || null : null,
    ...timing,
    cancelled: false,
    cancelledOccurrences: [],
    nextNoticeAt: nextNotice({ ...timing, cancelled: false }),
    version: 1,
  });
  markCreated(ctx, `/channels/${seg.channelId}/schedule/segments/${seg.id}`);
  return toSegmentView(seg);
}

/** An occurrence start the segment really has (cancelling a time it never takes place at is a mistake). */
function assertOccurs(seg: SegmentTiming, start: Date): string {
  const [hit] = occurrencesBetween(seg, start, new Date(start.getTime() + 1));
  if (!hit || hit.start.getTime() !== start.getTime())
    throw new ValidationError("No occurrence starts then", [
      { field: "cancelOccurrences", message: `${start.toISOString()} is not a start of this segment` },
    ]);
  return start.toISOString();
}

export async function updateSegment(
  svc: SchedulesThis,
  ctx: SchedulesContext<UpdateSegmentParams>,
): Promise<SegmentView> {
  await assertChannelOwner(ctx);
  const p = ctx.params;
  const seg = await loadSegment(svc, p);
  const timing: SegmentTiming = {
    startAt: p.startAt ?? seg.startAt,
    durationMin: p.durationMin ?? seg.durationMin,
    recurring: p.recurring ?? seg.recurring,
    timezone: p.timezone !== undefined ? checkTimezone(p.timezone) : seg.timezone,
  };
  const retimed =
    timing.startAt.getTime() !== seg.startAt.getTime() ||
    timing.recurring !== seg.recurring ||
    timing.timezone !== seg.timezone;
  // Moving the segment drops single cancellations: they named starts it no longer has.
  let cancelledOccurrences = retimed ? [] : [...seg.cancelledOccurrences];
  for (const start of p.cancelOccurrences ?? []) {
    const iso = assertOccurs(timing, start);
    if (!cancelledOccurrences.includes(iso)) cancelledOccurrences.push(iso);
  }
  const restore = new Set((p.restoreOccurrences ?? []).map((d) => d.toISOString()));
  cancelledOccurrences = cancelledOccurrences.filter((iso) => !restore.has(iso)).sort();
  const cancelled = p.cancelled ?? seg.cancelled;
  const nextNoticeAt =
    retimed || cancelled !== seg.cancelled ? nextNotice({ ...timing, cancelled }) : cancelled ? null : seg.nextNoticeAt;
  const updated = await svc.stores.segments.updateById(seg.id, {
    ...(p.title !== undefined ? { title: cleanTitle(p.title) } : {}),
    ...(p.category !== undefined ? { category: p.category ? toPlainText(p.category).trim() || null : null } : {}),
    ...timing,
    cancelled,
    cancelledOccurrences,
    nextNoticeAt,
    version: seg.version + 1,
  });
  if (!updated) throw new NotFoundError("Segment", seg.id);
  return toSegmentView(updated);
}

export async function removeSegment(
  svc: SchedulesThis,
  ctx: SchedulesContext<SegmentRef>,
): Promise<{ id: string; deleted: true }> {
  await assertChannelOwner(ctx);
  const seg = await loadSegment(svc, ctx.params);
  await svc.stores.segments.removeById(seg.id);
  return { id: seg.id, deleted: true };
}
