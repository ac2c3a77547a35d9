/**
 * Reading series: minute granularity from the raw buckets (within raw
 * retention), hour and day from the rollups. Results are columns (one time
 * axis, one array per measure), the shape charts (uPlot) and CSV want.
 */
import type { DbHandle } from "../../../mixins/db";
import { ValidationError } from "../../../lib/errors";
import { GRANULARITY_MS, bucketStarts, ceilTo, floorTo, type Granularity } from "./buckets";
import { METRICS, type Metric, type Scope } from "./metrics";
import { uncached, type CachedRead } from "./rollup-cache";

/** Longest series one request may ask for. */
export const MAX_POINTS = 5000;

export interface RangeParams {
  from?: string;
  to?: string;
  granularity?: Granularity;
}

export interface Range {
  from: number;
  to: number;
  granularity: Granularity;
}

/** Validated range: defaults to the last `defaultSpanMs` at the granularity that keeps it under MAX_POINTS. */
export function resolveRange(params: RangeParams, defaultSpanMs: number, now = Date.now()): Range {
  const to = params.to ? Date.parse(params.to) : now;
  const from = params.from ? Date.parse(params.from) : to - defaultSpanMs;
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new ValidationError("from and to must be ISO-8601 times");
  if (from >= to) throw new ValidationError("from must be before to");
  const span = to - from;
  const granularity =
    params.granularity ?? (span <= 6 * 3_600_000 ? "minute" : span <= 14 * 86_400_000 ? "hour" : "day");
  const points = Math.ceil(span / GRANULARITY_MS[granularity]);
  if (points > MAX_POINTS)
    throw new ValidationError(
      `${points} ${granularity} points asked; at most ${MAX_POINTS}: use a coarser granularity`,
    );
  return { from: floorTo(from, GRANULARITY_MS[granularity]), to, granularity };
}

/** One bucket of one metric as stored (sum, count, max; for rollups also minutes and avg_sum). */
export interface BucketValue {
  sum: number;
  count: number;
  max: number | null;
  minutes: number;
  avgSum: number;
}

export type MetricSeries = Map<Metric, Map<number, BucketValue>>;

interface Row {
  bucket: Date;
  metric: Metric;
  sum: number;
  count: string | number;
  max: number | null;
  minutes: number;
  avg_sum: number;
}

/**
 * The stored buckets of `metrics` for one subject over a range. Hour and day
 * reads go through `cached` (rollup-cache.ts); minute reads never do.
 */
export async function readBuckets(
  db: DbHandle,
  scope: Scope,
  subjectId: string,
  metrics: Metric[],
  range: Range,
  cached: CachedRead = uncached,
): Promise<MetricSeries> {
  const counted = metrics.filter((m) => METRICS[m] !== "unique");
  const uniques = metrics.filter((m) => METRICS[m] === "unique");
  const bind = [scope, subjectId, new Date(range.from), new Date(range.to)];
  let rows: Row[];
  if (range.granularity === "minute") {
    rows = [
      ...(await db.query<Row>(
        `SELECT bucket, metric, sum, count, max, 1 AS minutes, sum / NULLIF(count, 0) AS avg_sum
         FROM minute_buckets WHERE scope = $1 AND subject_id = $2 AND bucket >= $3 AND bucket < $4 AND metric = ANY($5::text[])`,
        [...bind, counted],
      )),
      ...(uniques.length === 0
        ? []
        : await db.query<Row>(
            `SELECT bucket, metric, count(*) AS sum, count(*) AS count, NULL AS max, 1 AS minutes, 0 AS avg_sum
             FROM unique_members WHERE scope = $1 AND subject_id = $2 AND bucket >= $3 AND bucket < $4 AND metric = ANY($5::text[])
             GROUP BY bucket, metric`,
            [...bind, uniques],
          )),
    ];
  } else {
    const table = range.granularity === "hour" ? "hour_rollups" : "day_rollups";
    // Buckets are whole steps: any `to` inside one step reads the same rows, so the key uses the step's end.
    const to = ceilTo(range.to, GRANULARITY_MS[range.granularity]);
    rows = await cached(`${table}|${scope}|${subjectId}|${metrics.join(",")}|${range.from}|${to}`, () =>
      db.query<Row>(
        `SELECT bucket, metric, sum, count, max, minutes, avg_sum FROM ${table}
         WHERE scope = $1 AND subject_id = $2 AND metric = ANY($5::text[]) AND bucket >= $3 AND bucket < $4`,
        [scope, subjectId, new Date(range.from), new Date(to), metrics],
      ),
    );
  }
  const out: MetricSeries = new Map(metrics.map((m) => [m, new Map()]));
  for (const r of rows)
    out.get(r.metric)?.set(new Date(r.bucket).getTime(), {
      sum: Number(r.sum),
      count: Number(r.count),
      max: r.max === null ? null : Number(r.max),
      minutes: Number(r.minutes),
      avgSum: Number(r.avg_sum),
    });
  return out;
}

/** Columns over the range's buckets: `time` (ISO) and one array per measure (null where nothing was recorded). */
export interface SeriesTable {
  time: string[];
  columns: Record<string, Array<number | null>>;
}

export type Measure = (value: BucketValue | undefined) => number | null;

export const measures = {
  total: (v: BucketValue | undefined) => v?.sum ?? 0,
  /** Average concurrent viewers while live in the bucket (a minute's samples averaged; hours/days: per live minute). */
  avgViewers: (v: BucketValue | undefined) => (v && v.minutes > 0 ? round(v.avgSum / v.minutes) : null),
  peak: (v: BucketValue | undefined) => v?.max ?? null,
  /** Viewer-minutes: each minute's average viewers added up. */
  viewerMinutes: (v: BucketValue | undefined) => round(v?.avgSum ?? 0),
  minutesOf: (v: BucketValue | undefined) => round((v?.sum ?? 0) / 60),
} satisfies Record<string, Measure>;

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function table(
  range: Range,
  columns: Record<string, [Map<number, BucketValue> | undefined, Measure]>,
): SeriesTable {
  const starts = bucketStarts(range.from, range.to, range.granularity);
  const out: SeriesTable = { time: starts.map((t) => new Date(t).toISOString()), columns: {} };
  for (const [name, [values, measure]] of Object.entries(columns))
    out.columns[name] = starts.map((t) => measure(values?.get(t)));
  return out;
}

/** Hides unique counts under the minimum group size (null: "fewer than k"). */
export function suppressSmall(values: Array<number | null>, minGroupSize: number): Array<number | null> {
  return values.map((v) => (v !== null && v > 0 && v < minGroupSize ? null : v));
}

/** The table as CSV (RFC 4180: CRLF, a header row). */
export function toCsv(t: SeriesTable): string {
  const names = Object.keys(t.columns);
  const lines = [["time", ...names].join(",")];
  t.time.forEach((time, i) => lines.push([time, ...names.map((n) => t.columns[n]![i] ?? "")].join(",")));
  return `${lines.join("\r\n")}\r\n`;
}

/** Totals of one subject over a range from the day rollups (summaries). */
export async function totals(
  db: DbHandle,
  scope: Scope,
  subjectId: string,
  metrics: Metric[],
  from: number,
  to: number,
  cached: CachedRead = uncached,
): Promise<Map<Metric, BucketValue>> {
  const rows = await cached(`totals|${scope}|${subjectId}|${metrics.join(",")}|${from}|${to}`, () =>
    db.query<Row>(
      `SELECT metric, sum(sum) AS sum, sum(count) AS count, max(max) AS max, sum(minutes) AS minutes, sum(avg_sum) AS avg_sum,
              min(bucket) AS bucket
       FROM day_rollups WHERE scope = $1 AND subject_id = $2 AND metric = ANY($3::text[]) AND bucket >= $4 AND bucket < $5
       GROUP BY metric`,
      [scope, subjectId, metrics, new Date(from), new Date(to)],
    ),
  );
  return new Map(
    rows.map((r) => [
      r.metric,
      {
        sum: Number(r.sum),
        count: Number(r.count),
        max: r.max === null ? null : Number(r.max),
        minutes: Number(r.minutes),
        avgSum: Number(r.avg_sum),
      },
    ]),
  );
}
