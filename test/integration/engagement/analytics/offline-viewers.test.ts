/**
 * Live viewing counts only while the channel is live, against PostgreSQL and
 * the broker: the realtime node samples every chat room with people in it,
 * live or not, so analytics takes a channel's samples as live viewers only
 * inside the windows stream.started / stream.ended give it. An offline room
 * (a creator on their own channel page) counts nothing; samples of a stream
 * count, also when heard after its end; samples heard before the end but
 * taken after it (the room during the reconnect grace, or delivered out of
 * order) are taken out when the end is heard, and not counted when heard
 * after it. Presence (the room's viewer count) is not analytics' business.
 */
import { randomUUID } from "node:crypto";
import { emitEvent } from "../../../../lib/contracts";
import { MINUTE_MS } from "../../../../services/engagement/analytics/buckets";
import { rollupAll } from "../../../../services/engagement/analytics/rollups";
import { waitFor } from "../../../helpers/infra";
import { startAnalytics, type AnalyticsHarness } from "./analytics-harness";

let h: AnalyticsHarness;
// Whole minutes, well inside raw retention.
const T0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 60 * MINUTE_MS;

beforeAll(async () => {
  h = await startAnalytics();
});
afterAll(async () => {
  await h?.stop();
});

interface MinuteRow {
  minute: number;
  sum: number;
  count: number;
}

async function viewerMinutes(channelId: string): Promise<MinuteRow[]> {
  const rows = await h.analytics.db.query<{ bucket: Date; sum: number; count: string }>(
    "SELECT bucket, sum, count::text AS count FROM minute_buckets WHERE subject_id = $1 AND metric = 'viewers' ORDER BY bucket",
    [channelId],
  );
  return rows.map((r) => ({
    minute: (new Date(r.bucket).getTime() - T0) / MINUTE_MS,
    sum: Number(r.sum),
    count: Number(r.count),
  }));
}

/** Emits samples as the realtime node does and waits until the buffer has written every one of them. */
async function sample(channelId: string, samples: Array<[offsetMs: number, viewerCount: number]>): Promise<void> {
  const seen = h.analytics.buffer.totals;
  const before = seen.counted + seen.duplicates + seen.dropped;
  for (const [offset, viewerCount] of samples)
    await emitEvent(h.broker, "stream.viewers.sampled", {
      channelId,
      viewerCount,
      at: new Date(T0 + offset).toISOString(),
    });
  await waitFor(
    async () => {
      await h.analytics.buffer.flush();
      const now = h.analytics.buffer.totals;
      return now.counted + now.duplicates + now.dropped >= before + samples.length || undefined;
    },
    { what: "the samples written" },
  );
}

async function started(channelId: string, sessionId: string, atMs: number): Promise<void> {
  await h.producer.publishDurable("stream.started", {
    sessionId,
    channelId,
    ownerId: "owner",
    title: "Live",
    category: null,
    language: "en",
    startedAt: new Date(T0 + atMs).toISOString(),
  });
  await h.producer.relayOutbox();
  await waitFor(async () => (await h.analytics.stores.streamSessions.findById(sessionId)) ?? undefined, {
    what: "the session known",
  });
}

async function ended(channelId: string, sessionId: string, startMs: number, endMs: number): Promise<void> {
  await h.producer.publishDurable("stream.ended", {
    sessionId,
    channelId,
    ownerId: "owner",
    endedAt: new Date(T0 + endMs).toISOString(),
    durationS: (endMs - startMs) / 1000,
    peakViewers: 9,
  });
  await h.producer.relayOutbox();
  await waitFor(async () => (await h.analytics.stores.streamSessions.findById(sessionId))?.endedAt ?? undefined, {
    what: "the end known",
  });
}

describe("viewer samples and live windows", () => {
  it("counts no viewers for a room sampled while its channel never went live", async () => {
    const channelId = `off-${randomUUID()}`;
    await sample(channelId, [
      [5_000, 1],
      [10_000, 1],
      [MINUTE_MS + 5_000, 1],
    ]);
    expect(await viewerMinutes(channelId)).toEqual([]);
    await rollupAll(h.analytics.db);
    const summary = await h.analytics.db.query(
      "SELECT 1 FROM hour_rollups WHERE subject_id = $1 AND metric = 'viewers'",
      [channelId],
    );
    expect(summary).toEqual([]);
  });

  it("counts a stream's samples, heard during it or after its end, and none taken before or after it", async () => {
    const channelId = `live-${randomUUID()}`;
    const sessionId = `s-${randomUUID()}`;
    // The channel page was open before the stream: presence only.
    await sample(channelId, [[-30_000, 2]]);
    await started(channelId, sessionId, 0);
    await sample(channelId, [
      [10_000, 4],
      [20_000, 6],
    ]);
    // Live 0:00 to 2:30; the room stays on afterwards.
    await ended(channelId, sessionId, 0, 150_000);
    await sample(channelId, [
      [MINUTE_MS + 30_000, 8], // taken while live, heard after the end
      [140_000, 10],
      [160_000, 3], // after the end
      [4 * MINUTE_MS, 3],
    ]);
    expect(await viewerMinutes(channelId)).toEqual([
      { minute: 0, sum: 10, count: 2 },
      { minute: 1, sum: 8, count: 1 },
      { minute: 2, sum: 10, count: 1 },
    ]);
  });

  it("takes out the samples heard before the end but taken after it (the reconnect grace)", async () => {
    const channelId = `tail-${randomUUID()}`;
    const sessionId = `s-${randomUUID()}`;
    await started(channelId, sessionId, 0);
    // The broadcaster leaves at 1:30; streams ends the session after its grace, the room is sampled meanwhile.
    await sample(channelId, [
      [30_000, 6],
      [80_000, 6],
      [100_000, 2], // after the broadcaster left
      [2 * MINUTE_MS + 10_000, 2],
      [3 * MINUTE_MS + 10_000, 2],
    ]);
    expect(await viewerMinutes(channelId)).toHaveLength(4);
    await ended(channelId, sessionId, 0, 90_000);
    // Minute 1 was live until 1:30: its offline second leaves it with the minute's average (the bucket holds
    // sums, not each second's value), so the minute keeps its average of 4 over its one live sample.
    expect(await viewerMinutes(channelId)).toEqual([
      { minute: 0, sum: 6, count: 1 },
      { minute: 1, sum: 4, count: 1 },
    ]);
    // A redelivery of a taken-out sample stays out.
    await sample(channelId, [[100_000, 2]]);
    expect(await viewerMinutes(channelId)).toEqual([
      { minute: 0, sum: 6, count: 1 },
      { minute: 1, sum: 4, count: 1 },
    ]);
  });
});
