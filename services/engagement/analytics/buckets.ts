/**
 * Time bucketing, always in UTC whatever the server's or the session's time
 * zone: minutes, hours and days are whole multiples of their length since the
 * Unix epoch (UTC has no leap seconds in epoch time), so no time zone rule
 * can move an edge.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const GRANULARITIES = ["minute", "hour", "day"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const GRANULARITY_MS: Record<Granularity, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

export function floorTo(ms: number, step: number): number {
  return Math.floor(ms / step) * step;
}

export function ceilTo(ms: number, step: number): number {
  return Math.ceil(ms / step) * step;
}

export const minuteOf = (ms: number): number => floorTo(ms, MINUTE_MS);
export const hourOf = (ms: number): number => floorTo(ms, HOUR_MS);
export const dayOf = (ms: number): number => floorTo(ms, DAY_MS);

/** `20261130` for the UTC day containing `ms`: partition names. */
export function dayStamp(ms: number): string {
  return new Date(dayOf(ms)).toISOString().slice(0, 10).replace(/-/g, "");
}

/** Parses a partition suffix back to the day's start (ms), or null. */
export function parseDayStamp(stamp: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(stamp);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? null : ms;
}

/** The bucket starts covering [from, to) at a granularity. */
export function bucketStarts(from: number, to: number, granularity: Granularity): number[] {
  const step = GRANULARITY_MS[granularity];
  const out: number[] = [];
  for (let t = floorTo(from, step); t < to; t += step) out.push(t);
  return out;
}
