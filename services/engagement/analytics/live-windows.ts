/**
 * Live viewing counts only while the channel is live. The realtime node
 * samples every chat room that has people in it, live or not (that count is
 * presence, shown on an offline channel page too), and its sample says
 * nothing about liveness. Analytics knows each channel's live windows from
 * stream.started / stream.ended (the stream_sessions dimension), so it
 * decides here, in the ingest transaction, with two rules:
 *
 *  - at ingest, a sample counts only when a known session of its channel
 *    covers its time: started_at <= at, and at <= ended_at once the end is
 *    known. A sample taken after the end (heard late, or redelivered) is
 *    dropped, and so is one taken while no session was open: an offline
 *    room's audience. A sample heard before its stream's start is dropped
 *    too (at worst the first seconds of a stream go uncounted, never an
 *    offline minute counted).
 *  - when a stream ends, the samples counted after its end are taken out
 *    again (dropSamplesAfterEnd): streams publishes stream.ended only after
 *    the reconnect grace, with ended_at the moment the broadcaster left, so
 *    the room's samples of that grace were heard while the session looked
 *    open.
 *
 * The two meet on the session row: ingest takes a share lock on the open
 * sessions of its channels before reading the windows, and an end updates
 * that row before it corrects the minutes, so either the batch commits first
 * and the correction sees its samples, or the batch reads the end.
 */
import type { DbHandle } from "../../../mixins/db";
import { hourOf, minuteOf } from "./buckets";

/** What the gate needs of a sample: the channel it must be live and the time it was taken. */
export interface LiveSample {
  at: number;
  whileLive?: string;
}

/**
 * The samples that fall in a live window of their channel (those without
 * `whileLive` pass untouched) and how many were offline. Must run inside the
 * batch's transaction (the share lock lasts until it ends).
 */
export async function keepLiveSamples<E extends LiveSample>(
  db: DbHandle,
  samples: E[],
): Promise<{ kept: E[]; offline: number }> {
  const gated = samples.map((e, i) => ({ e, i })).filter(({ e }) => e.whileLive !== undefined);
  if (gated.length === 0) return { kept: samples, offline: 0 };
  const channels = [...new Set(gated.map(({ e }) => e.whileLive!))].sort();
  // In id order: two batches (or a batch and an end) lock a channel's sessions in one order.
  await db.query(
    `SELECT id FROM stream_sessions WHERE channel_id = ANY($1::text[]) AND ended_at IS NULL ORDER BY id FOR SHARE`,
    [channels],
  );
  const live = await db.query<{ i: string }>(
    `SELECT k.i::text AS i FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS k(channel_id, at, i)
     WHERE EXISTS (
       SELECT 1 FROM stream_sessions s
       WHERE s.channel_id = k.channel_id AND s.started_at <= k.at AND (s.ended_at IS NULL OR k.at <= s.ended_at))`,
    [gated.map(({ e }) => e.whileLive!), gated.map(({ e }) => new Date(e.at).toISOString())],
  );
  const liveIdx = new Set(live.map((r) => gated[Number(r.i) - 1]!.i));
  const kept = samples.filter((e, i) => e.whileLive === undefined || liveIdx.has(i));
  return { kept, offline: samples.length - kept.length };
}

/** Bits of the seconds of `minute` (ms) that fall in the open interval (from, to). */
function secondsMask(minute: number, from: number, to: number): bigint {
  let mask = 0n;
  for (let s = 0; s < 60; s++) {
    const at = minute + s * 1000;
    if (at > from && at < to) mask |= 1n << BigInt(s);
  }
  return mask;
}

/**
 * Takes out a channel's viewer samples counted after a session ended and
 * before its next session started (if any): whole minutes are deleted, and
 * in a minute only partly offline the offline seconds leave the bucket. The
 * bucket keeps sums, not each second's value, so those seconds take the
 * minute's average with them (the minute's average is unchanged; a minute
 * with a live second still counts as a live minute, as every minute does;
 * its max stays, as an offline second's value may have set it).
 * Marks the hours changed for the rollups. Must run in the transaction that
 * wrote the end. Returns the samples taken out.
 */
export async function dropSamplesAfterEnd(db: DbHandle, channelId: string, endedAt: Date): Promise<number> {
  const end = endedAt.getTime();
  const [next] = await db.query<{ started_at: Date | null }>(
    `SELECT min(started_at) AS started_at FROM stream_sessions WHERE channel_id = $1 AND started_at > $2`,
    [channelId, endedAt],
  );
  const until = next?.started_at ? new Date(next.started_at).getTime() : Infinity;
  const rows = await db.query<{ bucket: Date; count: string; seconds: string }>(
    `SELECT bucket, count::text AS count, COALESCE(sampled_seconds, 0)::text AS seconds FROM minute_buckets
     WHERE scope = 'channel' AND subject_id = $1 AND metric = 'viewers' AND bucket >= $2 AND bucket < $3
     ORDER BY bucket FOR UPDATE`,
    [channelId, new Date(minuteOf(end)), Number.isFinite(until) ? new Date(until) : new Date(8.64e15)],
  );
  let removed = 0;
  const hours = new Set<number>();
  for (const row of rows) {
    const minute = new Date(row.bucket).getTime();
    const seen = BigInt(row.seconds);
    const offline = seen & secondsMask(minute, end, until);
    if (offline === 0n) continue;
    const drop = offline.toString(2).replace(/0/g, "").length;
    const count = Number(row.count);
    hours.add(hourOf(minute));
    removed += drop;
    if (drop >= count) {
      await db.query(
        `DELETE FROM minute_buckets WHERE bucket = $1 AND scope = 'channel' AND subject_id = $2 AND metric = 'viewers'`,
        [row.bucket, channelId],
      );
      continue;
    }
    await db.query(
      `UPDATE minute_buckets SET sum = sum - sum * $3::float8 / count, count = count - $3::int8,
         sampled_seconds = sampled_seconds & ~($4::int8)
       WHERE bucket = $1 AND scope = 'channel' AND subject_id = $2 AND metric = 'viewers'`,
      [row.bucket, channelId, drop, offline.toString()],
    );
  }
  if (hours.size > 0)
    await db.query(
      `INSERT INTO dirty_hours (hour) SELECT unnest($1::timestamptz[]) ON CONFLICT (hour) DO UPDATE SET marked_at = now()`,
      [[...hours].sort((a, b) => a - b).map((h) => new Date(h).toISOString())],
    );
  return removed;
}
