/**
 * Hourly and daily rollups, maintained incrementally: ingest marks the hours
 * it touched (`dirty_hours`), and each run recomputes exactly those hours
 * from the minute buckets, then the days they fall in from the hours. A
 * recomputation replaces the rollup row (never adds to it), so a run that is
 * repeated, or that races an ingest, converges on the minutes: an ingest
 * committing after a run took its hour marks the hour again (the mark is a
 * row lock the run's DELETE waits for).
 *
 * Unique metrics are counted distinct over the hour or day from the hashed
 * members (a sum of hourly uniques would count a person several times).
 * Platform viewers and live channels are derived from the channels' minutes:
 * per minute, the sum of the channels' average viewers (concurrent viewers)
 * and the number of channels with samples.
 */
import type { DbHandle } from "../../../mixins/db";
import { DAY_MS, HOUR_MS, dayOf } from "./buckets";
import { GAUGES, UNIQUES } from "./metrics";

const ROLLUP_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('arena.analytics.rollups')) AS locked";
const COLUMNS = "bucket, scope, subject_id, metric, sum, count, max, minutes, avg_sum";
const REPLACE = `ON CONFLICT (scope, subject_id, metric, bucket) DO UPDATE SET
  sum = excluded.sum, count = excluded.count, max = excluded.max, minutes = excluded.minutes, avg_sum = excluded.avg_sum`;

export interface RollupRun {
  /** false when another node was running the rollups (nothing done here). */
  ran: boolean;
  hours: number;
  days: number;
}

/** Recomputes the dirty hours (at most `maxHours` per run, oldest first) and their days. */
export async function runRollups(db: DbHandle, maxHours = 72): Promise<RollupRun> {
  return db.transaction(async () => {
    const [lock] = await db.query<{ locked: boolean }>(ROLLUP_LOCK);
    if (!lock?.locked) return { ran: false, hours: 0, days: 0 };
    const taken = await db.query<{ hour: Date }>(
      `DELETE FROM dirty_hours WHERE hour IN (SELECT hour FROM dirty_hours ORDER BY hour LIMIT $1) RETURNING hour`,
      [maxHours],
    );
    const hours = taken.map((r) => new Date(r.hour).getTime()).sort((a, b) => a - b);
    for (const hour of hours) await rollupHour(db, hour);
    const days = [...new Set(hours.map(dayOf))];
    for (const day of days) await rollupDay(db, day);
    if (hours.length > 0) await bumpGeneration(db);
    return { ran: true, hours: hours.length, days: days.length };
  });
}

/** Runs until no dirty hour is left (tests, benchmarks, an operator catching up). */
export async function rollupAll(db: DbHandle): Promise<number> {
  let total = 0;
  for (;;) {
    const run = await runRollups(db);
    total += run.hours;
    if (!run.ran || run.hours === 0) return total;
  }
}

async function rollupHour(db: DbHandle, hour: number): Promise<void> {
  const from = new Date(hour);
  const to = new Date(hour + HOUR_MS);
  await db.query(
    `INSERT INTO hour_rollups (${COLUMNS})
     SELECT $1::timestamptz, scope, subject_id, metric, sum(sum), sum(count), max(max), count(*),
            sum(sum / NULLIF(count, 0))
     FROM minute_buckets WHERE bucket >= $1 AND bucket < $2
     GROUP BY scope, subject_id, metric
     ${REPLACE}`,
    [from, to],
  );
  await db.query(
    `INSERT INTO hour_rollups (${COLUMNS})
     SELECT $1::timestamptz, scope, subject_id, metric, count(DISTINCT member), count(DISTINCT member), NULL,
            count(DISTINCT bucket), 0
     FROM unique_members WHERE bucket >= $1 AND bucket < $2 AND metric = ANY($3::text[])
     GROUP BY scope, subject_id, metric
     ${REPLACE}`,
    [from, to, UNIQUES],
  );
  // Platform gauges: per minute, the channels' averages added up (concurrent viewers), and how many channels.
  await db.query(
    `WITH per_minute AS (
       SELECT bucket, metric, sum(sum) AS s, sum(count) AS c, sum(sum / NULLIF(count, 0)) AS total, count(*) AS channels
       FROM minute_buckets
       WHERE bucket >= $1 AND bucket < $2 AND scope = 'channel' AND metric = ANY($3::text[])
       GROUP BY bucket, metric
     )
     INSERT INTO hour_rollups (${COLUMNS})
     SELECT $1::timestamptz, 'platform', '', metric, sum(s), sum(c), max(total), count(*), sum(total)
     FROM per_minute GROUP BY metric
     UNION ALL
     SELECT $1::timestamptz, 'platform', '', 'live_channels', sum(channels), count(*), max(channels), count(*), sum(channels)
     FROM per_minute WHERE metric = 'viewers' HAVING count(*) > 0
     ${REPLACE}`,
    [from, to, GAUGES],
  );
}

async function rollupDay(db: DbHandle, day: number): Promise<void> {
  const from = new Date(day);
  const to = new Date(day + DAY_MS);
  await db.query(
    `INSERT INTO day_rollups (${COLUMNS})
     SELECT $1::timestamptz, scope, subject_id, metric, sum(sum), sum(count), max(max), sum(minutes), sum(avg_sum)
     FROM hour_rollups WHERE bucket >= $1 AND bucket < $2 AND NOT (metric = ANY($3::text[]))
     GROUP BY scope, subject_id, metric
     ${REPLACE}`,
    [from, to, UNIQUES],
  );
  await db.query(
    `INSERT INTO day_rollups (${COLUMNS})
     SELECT $1::timestamptz, scope, subject_id, metric, count(DISTINCT member), count(DISTINCT member), NULL,
            count(DISTINCT bucket), 0
     FROM unique_members WHERE bucket >= $1 AND bucket < $2 AND metric = ANY($3::text[])
     GROUP BY scope, subject_id, metric
     ${REPLACE}`,
    [from, to, UNIQUES],
  );
}

/** Deletes rollup rows older than their retention; returns the rows deleted. */
export async function pruneRollups(db: DbHandle, keepFrom: number): Promise<number> {
  const at = new Date(keepFrom);
  return db.transaction(async () => {
    const hours = await db.query("DELETE FROM hour_rollups WHERE bucket < $1 RETURNING 1", [at]);
    const days = await db.query("DELETE FROM day_rollups WHERE bucket < $1 RETURNING 1", [at]);
    if (hours.length + days.length > 0) await bumpGeneration(db);
    return hours.length + days.length;
  });
}

/** Rollup rows changed: reads cached under an older generation are not served again (rollup-cache.ts). */
async function bumpGeneration(db: DbHandle): Promise<void> {
  await db.query("UPDATE rollup_generation SET generation = generation + 1");
}
