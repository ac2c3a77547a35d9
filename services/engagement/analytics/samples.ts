/**
 * Gauge samples deduped by their natural key instead of a row per sample in
 * `ingested_events`. A viewer sample is one per channel per sampling period,
 * taken by one realtime node for the whole cluster, so (channel, sample time)
 * is its identity; the bulk of plain events are these samples, and a dedupe
 * row each was half of a batch's cost (docs/benchmarks.md#analytics).
 *
 * The minute bucket itself remembers which samples it holds: bit s of
 * `sampled_seconds` is set once the sample taken at second s of the minute
 * is counted. The upsert adds a batch's samples of a series-minute only when
 * none of their seconds is set yet (`WHERE sampled_seconds & new = 0`), so
 * the common case (no redelivery) is one statement for the whole batch, the
 * same one that writes the bucket. When some rows overlap (a retried flush,
 * an event emitted twice), that statement is rolled back to a savepoint and
 * the overlapping rows are locked and read, their known seconds taken out of
 * the batch, and the rest written: only unseen samples count. Counting is
 * per second: a sampler faster than one sample per second per channel would
 * see its extra samples dropped as repeats (the realtime default is 5 s).
 */
import type { DbHandle } from "../../../mixins/db";
import { minuteOf } from "./buckets";

/** What grouping needs of an ingest event (ingest.ts's IngestEvent fits; no import back: ingest.ts imports this file). */
export interface SampleEvent {
  at: number;
  facts: ReadonlyArray<{ scope: string; subjectId: string; metric: string; value: number }>;
}

const SEP = "\u0000";

export interface SampleRow {
  bucket: number;
  scope: string;
  subjectId: string;
  metric: string;
  /** Value of each sample by its second in the minute (a repeat within the batch keeps the first). */
  values: Map<number, number>;
}

export interface SampleResult {
  counted: number;
  duplicates: number;
}

/**
 * Groups keyed samples per (minute, series), in key order. Each event's facts
 * are samples taken at its `at`; a repeat of a (series, second) in the batch
 * is counted as a duplicate here.
 */
export function groupSamples(events: SampleEvent[]): { rows: SampleRow[]; repeats: number } {
  const rows = new Map<string, SampleRow>();
  let repeats = 0;
  for (const event of events) {
    const bucket = minuteOf(event.at);
    const second = Math.floor((event.at - bucket) / 1000);
    let fresh = false;
    for (const f of event.facts) {
      const key = `${bucket}${SEP}${f.scope}${SEP}${f.subjectId}${SEP}${f.metric}`;
      let row = rows.get(key);
      if (!row) {
        row = { bucket, scope: f.scope, subjectId: f.subjectId, metric: f.metric, values: new Map() };
        rows.set(key, row);
      }
      if (!row.values.has(second)) {
        row.values.set(second, f.value);
        fresh = true;
      }
    }
    if (!fresh) repeats++;
  }
  return { rows: [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, row]) => row), repeats };
}

function maskOf(seconds: Iterable<number>): bigint {
  let mask = 0n;
  for (const s of seconds) mask |= 1n << BigInt(s);
  return mask;
}

const UPSERT = `WITH up AS (
  INSERT INTO minute_buckets (bucket, scope, subject_id, metric, sum, count, max, sampled_seconds)
  SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int8[], $7::float8[], $8::int8[])
  ON CONFLICT (bucket, scope, subject_id, metric) DO UPDATE SET
    sum = minute_buckets.sum + excluded.sum,
    count = minute_buckets.count + excluded.count,
    max = GREATEST(minute_buckets.max, excluded.max),
    sampled_seconds = COALESCE(minute_buckets.sampled_seconds, 0) | excluded.sampled_seconds
  WHERE COALESCE(minute_buckets.sampled_seconds, 0) & excluded.sampled_seconds = 0
  RETURNING 1
) SELECT count(*)::int AS applied FROM up`;

async function tryUpsert(db: DbHandle, rows: SampleRow[], isoOf: (ms: number) => string): Promise<boolean> {
  const sums: number[] = [];
  const counts: number[] = [];
  const maxes: number[] = [];
  const masks: string[] = [];
  for (const row of rows) {
    let sum = 0;
    let max = -Infinity;
    for (const v of row.values.values()) {
      sum += v;
      if (v > max) max = v;
    }
    sums.push(sum);
    counts.push(row.values.size);
    maxes.push(max);
    masks.push(maskOf(row.values.keys()).toString());
  }
  const [result] = await db.query<{ applied: number }>(UPSERT, [
    rows.map((r) => isoOf(r.bucket)),
    rows.map((r) => r.scope),
    rows.map((r) => r.subjectId),
    rows.map((r) => r.metric),
    sums,
    counts,
    maxes,
    masks,
  ]);
  return result?.applied === rows.length;
}

/** Rows already in the table for these keys, locked (in key order) until the transaction ends. */
async function lockKnown(db: DbHandle, rows: SampleRow[], isoOf: (ms: number) => string): Promise<Map<string, bigint>> {
  const known = await db.query<{ bucket: Date; scope: string; subject_id: string; metric: string; seconds: string }>(
    `SELECT b.bucket, b.scope, b.subject_id, b.metric, COALESCE(b.sampled_seconds, 0)::text AS seconds
     FROM minute_buckets b
     JOIN unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[]) AS k(bucket, scope, subject_id, metric)
       USING (bucket, scope, subject_id, metric)
     ORDER BY b.bucket, b.scope, b.subject_id, b.metric
     FOR UPDATE OF b`,
    [
      rows.map((r) => isoOf(r.bucket)),
      rows.map((r) => r.scope),
      rows.map((r) => r.subjectId),
      rows.map((r) => r.metric),
    ],
  );
  const out = new Map<string, bigint>();
  for (const r of known)
    out.set(`${new Date(r.bucket).getTime()}${SEP}${r.scope}${SEP}${r.subject_id}${SEP}${r.metric}`, BigInt(r.seconds));
  return out;
}

/**
 * Writes grouped samples into `minute_buckets`, each (series, second) at most
 * once ever. Must run inside the batch's transaction (it uses a savepoint).
 */
export async function upsertSamples(
  db: DbHandle,
  grouped: SampleRow[],
  isoOf: (ms: number) => string,
): Promise<SampleResult> {
  const total = grouped.reduce((n, r) => n + r.values.size, 0);
  let rows = grouped;
  // Bounded: after the first pass every overlapping row that existed is locked by this
  // transaction; a later pass only meets rows another batch inserted meanwhile.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (rows.length === 0) return { counted: 0, duplicates: total };
    await db.query("SAVEPOINT analytics_samples");
    if (await tryUpsert(db, rows, isoOf)) {
      await db.query("RELEASE SAVEPOINT analytics_samples");
      const counted = rows.reduce((n, r) => n + r.values.size, 0);
      return { counted, duplicates: total - counted };
    }
    await db.query("ROLLBACK TO SAVEPOINT analytics_samples");
    const known = await lockKnown(db, rows, isoOf);
    rows = rows
      .map((row) => {
        const seen = known.get(`${row.bucket}${SEP}${row.scope}${SEP}${row.subjectId}${SEP}${row.metric}`);
        if (seen === undefined) return row;
        const values = new Map([...row.values].filter(([s]) => (seen & (1n << BigInt(s))) === 0n));
        return { ...row, values };
      })
      .filter((row) => row.values.size > 0);
  }
  throw new Error("analytics: viewer samples kept conflicting with concurrent batches");
}
