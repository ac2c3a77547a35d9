/**
 * Writes a batch of analytics events: every statement is one multi-row
 * statement for the whole batch (never one per event), in one transaction:
 *
 *  1. the batch's event ids go into `ingested_events`; only the ids that were
 *     not there yet come back, so an event redelivered (durable redelivery,
 *     a plain event emitted twice, a retried flush) is counted once;
 *  2. the new events are summed in memory per (minute, scope, subject,
 *     metric) and upserted into `minute_buckets` (sum, count, max add up);
 *  3. hashed members of unique counts, and the farthest point of each video
 *     play, are upserted;
 *  4. the hours touched are marked dirty for the rollup job.
 *
 * Rows are written in key order so two batches in flight on two nodes lock
 * shared rows (platform totals, a busy channel's minute) in the same order.
 *
 * The per-event work is kept to what cannot be shared: one digest per event
 * id (the one-shot `crypto.hash`, about five times cheaper than a
 * `createHash` object per event) and one map lookup per fact; ISO strings
 * are made per distinct day, minute and hour, not per event.
 */
import * as crypto from "node:crypto";
import type { DbHandle } from "../../../mixins/db";
import { dayOf, hourOf, minuteOf, DAY_MS } from "./buckets";
import type { Metric, Scope } from "./metrics";
import { keepLiveSamples } from "./live-windows";
import { groupSamples, upsertSamples } from "./samples";

/** A number added to (counter) or sampled for (gauge) one series. */
export interface Fact {
  scope: Scope;
  subjectId: string;
  metric: Metric;
  value: number;
}

/** A hashed person counted once per bucket in a unique metric. */
export interface MemberFact {
  scope: Scope;
  subjectId: string;
  metric: Metric;
  member: Buffer;
}

/** A heartbeat of one play of a video: how far it got and how long it watched since the last one. */
export interface PlayFact {
  videoId: string;
  play: Buffer;
  positionS: number;
  watchedS: number;
}

export interface IngestEvent {
  /** Dedupe key: the durable event id, or an id derived from the plain event (message id, sample time...). */
  id: string;
  /** Epoch ms of what happened: the bucket it lands in. */
  at: number;
  facts: Fact[];
  members?: MemberFact[];
  play?: PlayFact;
  /**
   * `sample`: its facts are gauge samples whose identity is (series, second of
   * `at`), deduped by the minute bucket itself (samples.ts) instead of a row
   * in `ingested_events`; `id` is then unused and it carries no members or
   * play. Default `id`.
   */
  dedupe?: "id" | "sample";
  /**
   * Counts only while this channel is live: a viewer sample of a chat room,
   * which says nothing about liveness (live-windows.ts). Samples only.
   */
  whileLive?: string;
}

export interface IngestResult {
  /** New events written. */
  counted: number;
  /** Events whose id was already counted (redeliveries). */
  duplicates: number;
  /** Events outside the kept window (older than raw retention, or more than a day ahead), or offline samples. */
  dropped: number;
}

/** Which days may be written (partitions exist or can be made) and makes sure they exist. */
export interface PartitionSource {
  oldestKeptDay(now: number): number;
  ensureDays(days: number[]): Promise<void>;
}

export interface IngestOptions {
  /**
   * The batch holds only plain events (the ingest buffer): they are not
   * durable anyway, so the commit does not wait for the WAL flush
   * (`synchronous_commit = off`). A PostgreSQL crash may then lose the last
   * few hundred milliseconds of committed batches, never half of one; durable
   * batches keep the synchronous commit their acknowledgement relies on.
   */
  plainOnly?: boolean;
}

// crypto.hash (Node 20.12+): a one-shot digest without a Hash object per call.
const md5Hex: (data: string) => string =
  typeof crypto.hash === "function"
    ? (data) => crypto.hash("md5", data, "hex")
    : (data) => crypto.createHash("md5").update(data).digest("hex");

/** A digest of an event id as a uuid: fixed 16 bytes whatever the id's length. */
export function eventDigest(id: string): string {
  const h = md5Hex(id);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** ISO strings of the few distinct instants a batch names (its days, minutes, hours), made once each. */
function isoCache(): (ms: number) => string {
  const seen = new Map<number, string>();
  return (ms) => {
    let text = seen.get(ms);
    if (text === undefined) {
      text = iso(ms);
      seen.set(ms, text);
    }
    return text;
  };
}
const SEP = "\u0000";

interface BucketAgg {
  bucket: number;
  scope: string;
  subjectId: string;
  metric: string;
  sum: number;
  count: number;
  max: number;
}

/** Sums facts per (minute, scope, subject, metric), in key order. */
export function aggregateFacts(events: IngestEvent[]): BucketAgg[] {
  const rows = new Map<string, BucketAgg>();
  for (const event of events) {
    const bucket = minuteOf(event.at);
    for (const f of event.facts) {
      const key = `${bucket}${SEP}${f.scope}${SEP}${f.subjectId}${SEP}${f.metric}`;
      const row = rows.get(key);
      if (row) {
        row.sum += f.value;
        row.count += 1;
        if (f.value > row.max) row.max = f.value;
      } else
        rows.set(key, {
          bucket,
          scope: f.scope,
          subjectId: f.subjectId,
          metric: f.metric,
          sum: f.value,
          count: 1,
          max: f.value,
        });
    }
  }
  return [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, row]) => row);
}

export async function ingest(
  db: DbHandle,
  partitions: PartitionSource,
  batch: IngestEvent[],
  now = Date.now(),
  options: IngestOptions = {},
): Promise<IngestResult> {
  const oldest = partitions.oldestKeptDay(now);
  const latest = now + DAY_MS;
  const byId = new Map<string, IngestEvent>();
  const samples: IngestEvent[] = [];
  let dropped = 0;
  for (const e of batch) {
    if (!Number.isFinite(e.at) || e.at < oldest || e.at > latest) dropped++;
    else if (e.dedupe === "sample") samples.push(e);
    else byId.set(e.id, e);
  }
  const inBatchRepeats = batch.length - dropped - samples.length - byId.size;
  if (byId.size === 0 && samples.length === 0) return { counted: 0, duplicates: inBatchRepeats, dropped };
  const isoOf = isoCache();
  // Sorted by digest: two batches in flight that share ids (a redelivery) take their index locks in one order.
  const keyed: Array<{ digest: string; event: IngestEvent }> = [];
  const days = new Set<number>();
  for (const [id, e] of byId) keyed.push({ digest: eventDigest(id), event: e });
  keyed.sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const events = keyed.map((k) => k.event);
  const digests = keyed.map((k) => k.digest);
  const dayIsos = events.map((e) => {
    const day = dayOf(e.at);
    days.add(day);
    return isoOf(day);
  });
  for (const e of samples) days.add(dayOf(e.at));
  await partitions.ensureDays([...days]);

  return db.transaction(async () => {
    if (options.plainOnly) await db.query("SET LOCAL synchronous_commit TO off");
    const live = await keepLiveSamples(db, samples);
    const grouped = groupSamples(live.kept);
    let counted = events;
    if (events.length > 0) {
      const fresh = await db.query<{ event_id: string }>(
        `INSERT INTO ingested_events (day, event_id)
         SELECT * FROM unnest($1::timestamptz[], $2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [dayIsos, digests],
      );
      const freshIds = new Set<string>();
      for (const r of fresh) freshIds.add(r.event_id);
      if (freshIds.size !== events.length) counted = events.filter((_, k) => freshIds.has(digests[k]!));
    }
    const sampled = await upsertSamples(db, grouped.rows, isoOf);
    const result = {
      counted: counted.length + sampled.counted,
      duplicates: inBatchRepeats + events.length - counted.length + grouped.repeats + sampled.duplicates,
      dropped: dropped + live.offline,
    };
    if (result.counted === 0) return result;

    await upsertBuckets(db, aggregateFacts(counted), isoOf);
    await insertMembers(db, counted, isoOf);
    await upsertPlays(db, counted, isoOf);
    const hours = new Set<number>();
    for (const e of counted) hours.add(hourOf(e.at));
    // Hours of samples that were already counted are marked too: harmless, a rollup of them changes nothing.
    for (const row of grouped.rows) hours.add(hourOf(row.bucket));
    await db.query(
      `INSERT INTO dirty_hours (hour) SELECT unnest($1::timestamptz[])
       ON CONFLICT (hour) DO UPDATE SET marked_at = now()`,
      [[...hours].sort((a, b) => a - b).map(isoOf)],
    );
    return result;
  });
}

async function upsertBuckets(db: DbHandle, rows: BucketAgg[], isoOf: (ms: number) => string): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO minute_buckets (bucket, scope, subject_id, metric, sum, count, max)
     SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::int8[], $7::float8[])
     ON CONFLICT (bucket, scope, subject_id, metric) DO UPDATE SET
       sum = minute_buckets.sum + excluded.sum,
       count = minute_buckets.count + excluded.count,
       max = GREATEST(minute_buckets.max, excluded.max)`,
    [
      rows.map((r) => isoOf(r.bucket)),
      rows.map((r) => r.scope),
      rows.map((r) => r.subjectId),
      rows.map((r) => r.metric),
      rows.map((r) => r.sum),
      rows.map((r) => r.count),
      rows.map((r) => r.max),
    ],
  );
}

async function insertMembers(db: DbHandle, events: IngestEvent[], isoOf: (ms: number) => string): Promise<void> {
  const rows = new Map<string, [number, MemberFact]>();
  for (const e of events)
    for (const m of e.members ?? []) {
      const bucket = minuteOf(e.at);
      rows.set(`${bucket}${SEP}${m.scope}${SEP}${m.subjectId}${SEP}${m.metric}${SEP}${m.member.toString("hex")}`, [
        bucket,
        m,
      ]);
    }
  if (rows.size === 0) return;
  const sorted = [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  await db.query(
    `INSERT INTO unique_members (bucket, scope, subject_id, metric, member)
     SELECT b, s, sub, m, decode(h, 'hex')
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(b, s, sub, m, h)
     ON CONFLICT DO NOTHING`,
    [
      sorted.map(([b]) => isoOf(b)),
      sorted.map(([, m]) => m.scope),
      sorted.map(([, m]) => m.subjectId),
      sorted.map(([, m]) => m.metric),
      sorted.map(([, m]) => m.member.toString("hex")),
    ],
  );
}

async function upsertPlays(db: DbHandle, events: IngestEvent[], isoOf: (ms: number) => string): Promise<void> {
  const rows = new Map<
    string,
    { day: number; videoId: string; play: string; pos: number; watched: number; at: number }
  >();
  for (const e of events) {
    if (!e.play) continue;
    const day = dayOf(e.at);
    const play = e.play.play.toString("hex");
    const key = `${day}${SEP}${e.play.videoId}${SEP}${play}`;
    const row = rows.get(key);
    if (row) {
      row.pos = Math.max(row.pos, e.play.positionS);
      row.watched += e.play.watchedS;
      row.at = Math.max(row.at, e.at);
    } else
      rows.set(key, { day, videoId: e.play.videoId, play, pos: e.play.positionS, watched: e.play.watchedS, at: e.at });
  }
  if (rows.size === 0) return;
  const sorted = [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, v]) => v);
  await db.query(
    `INSERT INTO video_plays (day, video_id, play, max_position_s, watched_s, last_seen_at)
     SELECT d, v, decode(p, 'hex'), pos, w, seen
     FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::timestamptz[]) AS u(d, v, p, pos, w, seen)
     ON CONFLICT (day, video_id, play) DO UPDATE SET
       max_position_s = GREATEST(video_plays.max_position_s, excluded.max_position_s),
       watched_s = video_plays.watched_s + excluded.watched_s,
       last_seen_at = GREATEST(video_plays.last_seen_at, excluded.last_seen_at)`,
    [
      sorted.map((r) => isoOf(r.day)),
      sorted.map((r) => r.videoId),
      sorted.map((r) => r.play),
      sorted.map((r) => r.pos),
      sorted.map((r) => r.watched),
      sorted.map((r) => iso(r.at)),
    ],
  );
}
