/**
 * Dashboard reads of the rollups: the read cache serves an answer again
 * only while no rollup run has changed the rollups (rollup_generation), and
 * the admin top lists, which add whole days from the day rollups and the
 * edge hours from the hour rollups, equal the sum over the hour rollups.
 */
import { randomUUID } from "node:crypto";
import { analyticsRoutes } from "../../../../services/engagement/analytics/analytics.routes";
import { DAY_MS, HOUR_MS, dayOf } from "../../../../services/engagement/analytics/buckets";
import { ingest, type IngestEvent } from "../../../../services/engagement/analytics/ingest";
import { rollupAll } from "../../../../services/engagement/analytics/rollups";
import { readBuckets } from "../../../../services/engagement/analytics/series";
import { startAnalytics, type Actor, type AnalyticsHarness } from "./analytics-harness";

let h: AnalyticsHarness;
let admin: Actor;
const NOW = Date.now();

beforeAll(async () => {
  h = await startAnalytics({ extraRoutes: [analyticsRoutes], settings: { rawRetentionDays: 7, minGroupSize: 1 } });
  admin = await h.actor("adm", "admin");
});
afterAll(async () => {
  await h?.stop();
});

const sample = (channelId: string, at: number, viewers: number): IngestEvent => ({
  id: `viewers:${channelId}:${at}`,
  at,
  facts: [{ scope: "channel", subjectId: channelId, metric: "viewers", value: viewers }],
  dedupe: "sample",
});

describe("rollup read cache", () => {
  it("answers from memory until a rollup run changes the rollups, then reads them again", async () => {
    const channelId = `rc-${randomUUID()}`;
    const hour = Math.floor(NOW / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
    const range = { from: hour, to: hour + HOUR_MS, granularity: "hour" as const };
    await ingest(h.analytics.db, h.analytics.partitions, [sample(channelId, hour + 60_000, 10)], NOW);
    await rollupAll(h.analytics.db);
    let loads = 0;
    const read = async () => {
      const cached = await h.analytics.rollupCache.at();
      const counting = <T>(key: string, load: () => Promise<T>) =>
        cached(key, () => {
          loads++;
          return load();
        });
      return (await readBuckets(h.analytics.db, "channel", channelId, ["viewers"], range, counting))
        .get("viewers")
        ?.get(hour)?.sum;
    };
    expect(await read()).toBe(10);
    expect(await read()).toBe(10);
    expect(loads).toBe(1);
    // A rollup run with nothing to do changes nothing: still served from memory.
    await rollupAll(h.analytics.db);
    expect(await read()).toBe(10);
    expect(loads).toBe(1);
    // New data is not visible before its rollup (as without a cache), and is right after it.
    await ingest(h.analytics.db, h.analytics.partitions, [sample(channelId, hour + 120_000, 30)], NOW);
    expect(await read()).toBe(10);
    await rollupAll(h.analytics.db);
    expect(await read()).toBe(40);
    expect(loads).toBe(2);
  });
});

describe("admin top channels", () => {
  it("add whole days from the day rollups and the edge hours from the hour rollups, as the hours sum up", async () => {
    const channels = Array.from({ length: 3 }, (_, i) => `top${i}-${randomUUID()}`);
    const start = dayOf(NOW) - 3 * DAY_MS;
    const events: IngestEvent[] = [];
    // A sample per channel every 37 minutes for three days and today so far, values varying per channel.
    for (let t = start + 5 * 60_000; t < NOW - HOUR_MS; t += 37 * 60_000)
      channels.forEach((c, k) => events.push(sample(c, t, 100 + k * 50 + ((t / 60_000) % 97))));
    for (let i = 0; i < events.length; i += 2000)
      await ingest(h.analytics.db, h.analytics.partitions, events.slice(i, i + 2000), NOW);
    await rollupAll(h.analytics.db);
    // From 13:00Z three days ago (a partial first day) to now (a partial last day).
    const from = start + 13 * HOUR_MS;
    const expected = await h.analytics.db.query<{ subject_id: string; vm: number; peak: number }>(
      `SELECT subject_id, sum(avg_sum) AS vm, max(max) AS peak FROM hour_rollups
       WHERE scope = 'channel' AND metric = 'viewers' AND subject_id = ANY($1::text[]) AND bucket >= $2 AND bucket < $3
       GROUP BY subject_id ORDER BY vm DESC`,
      [channels, new Date(from), new Date(NOW)],
    );
    expect(expected).toHaveLength(3);
    const res = await admin.api.request<{
      topChannels: Array<{ channelId: string; viewerMinutes: number; peakViewers: number }>;
    }>(
      "GET",
      `/admin/analytics?granularity=hour&from=${new Date(from).toISOString()}&to=${new Date(NOW).toISOString()}`,
    );
    expect(res.status).toBe(200);
    const ours = res.body.topChannels.filter((t) => channels.includes(t.channelId));
    expect(ours.map((t) => [t.channelId, t.viewerMinutes, t.peakViewers])).toEqual(
      expected.map((r) => [r.subject_id, Math.round(Number(r.vm) * 100) / 100, Number(r.peak)]),
    );
  });
});
