/**
 * Occurrences of schedule segments. A single segment happens once; a
 * recurring one every week at the same wall-clock time in its time zone (so
 * a 20:00 Berlin show stays at 20:00 across daylight-saving changes, as
 * Twitch's recurring segments do). Pure functions: no Moleculer, no store.
 */
export interface SegmentTiming {
  startAt: Date;
  durationMin: number;
  recurring: boolean;
  timezone: string;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

const WEEK_MS = 7 * 86_400_000;
/** Longest run of weekly occurrences one call expands (about 20 years). */
const MAX_WEEKS = 1100;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True for an IANA zone name this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time of `instant` in `timezone`, as if it were UTC (ms). */
function wallClockMs(instant: number, timezone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timezone).formatToParts(new Date(instant)))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  const ms = instant - Math.floor(instant / 1000) * 1000;
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + ms;
}

/** The instant whose wall-clock time in `timezone` is `wall` (a gap in a DST change moves it forward). */
function instantOfWallClock(wall: number, timezone: string): number {
  let guess = wall - (wallClockMs(wall, timezone) - wall);
  // Twice: the offset at the first guess may differ from the one at the answer near a change.
  guess = wall - (wallClockMs(guess, timezone) - guess);
  return guess;
}

/** The start of occurrence `k` (0 = the first). */
export function occurrenceStart(seg: SegmentTiming, k: number): Date {
  if (k === 0 || !seg.recurring) return seg.startAt;
  if (seg.timezone === "UTC") return new Date(seg.startAt.getTime() + k * WEEK_MS);
  const wall = wallClockMs(seg.startAt.getTime(), seg.timezone) + k * WEEK_MS;
  return new Date(instantOfWallClock(wall, seg.timezone));
}

function occurrence(seg: SegmentTiming, k: number): Occurrence {
  const start = occurrenceStart(seg, k);
  return { start, end: new Date(start.getTime() + seg.durationMin * 60_000) };
}

/** Index of the first occurrence that could end after `at` (a lower bound: callers still check). */
function firstIndexNear(seg: SegmentTiming, at: number): number {
  if (!seg.recurring) return 0;
  // One week of slack covers any DST shift of the wall-clock rule.
  return Math.max(0, Math.floor((at - seg.startAt.getTime() - seg.durationMin * 60_000) / WEEK_MS) - 1);
}

/** Occurrences that overlap [from, to), in order. */
export function occurrencesBetween(seg: SegmentTiming, from: Date, to: Date): Occurrence[] {
  const out: Occurrence[] = [];
  const first = firstIndexNear(seg, from.getTime());
  const last = seg.recurring ? first + MAX_WEEKS : 0;
  for (let k = first; k <= last; k++) {
    const o = occurrence(seg, k);
    if (o.start >= to) break;
    if (o.end > from) out.push(o);
  }
  return out;
}

/** The first occurrence starting strictly after `after`, or null (a single segment in the past). */
export function nextStartAfter(seg: SegmentTiming, after: Date): Date | null {
  const first = firstIndexNear(seg, after.getTime());
  const last = seg.recurring ? first + MAX_WEEKS : 0;
  for (let k = first; k <= last; k++) {
    const start = occurrenceStart(seg, k);
    if (start > after) return start;
  }
  return null;
}

/**
 * The occurrence a stream starting at `startedAt` belongs to: one whose
 * window (from `earlyMs` before its start until its end) holds the start,
 * the nearest start winning. Null when none does.
 */
export function occurrenceAt(seg: SegmentTiming, startedAt: Date, earlyMs: number): Occurrence | null {
  const candidates = occurrencesBetween(seg, startedAt, new Date(startedAt.getTime() + earlyMs + 1));
  let best: Occurrence | null = null;
  for (const o of candidates) {
    const inWindow = startedAt.getTime() >= o.start.getTime() - earlyMs && startedAt < o.end;
    if (!inWindow) continue;
    if (
      !best ||
      Math.abs(o.start.getTime() - startedAt.getTime()) < Math.abs(best.start.getTime() - startedAt.getTime())
    )
      best = o;
  }
  return best;
}
