/**
 * Embedded defaults (no DATABASE_URL: PGlite in DATA_DIR, one shared
 * connection), as `npm start` on a bare machine: native daily partitions,
 * batched ingest with dedupe, rollups and retention work on PGlite too.
 */
import { DAY_MS, HOUR_MS, dayOf } from "../../../../services/engagement/analytics/buckets";
import { ingest } from "../../../../services/engagement/analytics/ingest";
import { rollupAll } from "../../../../services/engagement/analytics/rollups";
import { startAnalytics, type AnalyticsHarness } from "./analytics-harness";

let h: AnalyticsHarness;
beforeAll(async () => {
  h = await startAnalytics({ env: { DATABASE_URL: undefined }, settings: { rawRetentionDays: 3 } });
});
afterAll(async () => {
  await h?.stop();
});

it("partitions, ingests once, rolls up and drops old days on PGlite", async () => {
  expect(h.config.database.url).toBeUndefined();
  const now = Date.now();
  const at = dayOf(now) - 2 * DAY_MS + HOUR_MS;
  const events = Array.from({ length: 20 }, (_, i) => ({
    id: `pg-${i}`,
    at: at + i * 1000,
    facts: [{ scope: "channel" as const, subjectId: "c1", metric: "follows" as const, value: 1 }],
  }));
  expect(await ingest(h.analytics.db, h.analytics.partitions, events, now)).toMatchObject({ counted: 20 });
  expect(await ingest(h.analytics.db, h.analytics.partitions, events, now)).toMatchObject({
    counted: 0,
    duplicates: 20,
  });
  // Viewer samples, deduped by the minute bucket (a savepoint and row locks on a conflict): on PGlite too.
  const samples = [0, 10, 20].map((s) => ({
    id: `pg-s-${s}`,
    at: at + s * 1000,
    facts: [{ scope: "channel" as const, subjectId: "c1", metric: "viewers" as const, value: 10 + s }],
    dedupe: "sample" as const,
  }));
  expect(await ingest(h.analytics.db, h.analytics.partitions, samples.slice(0, 2), now)).toMatchObject({ counted: 2 });
  expect(await ingest(h.analytics.db, h.analytics.partitions, samples, now)).toMatchObject({
    counted: 1,
    duplicates: 2,
  });
  await rollupAll(h.analytics.db);
  const [viewers] = await h.analytics.db.query<{ sum: number; count: string }>(
    "SELECT sum, count FROM day_rollups WHERE subject_id = 'c1' AND metric = 'viewers'",
  );
  expect([Number(viewers!.sum), Number(viewers!.count)]).toEqual([10 + 20 + 30, 3]);
  const [day] = await h.analytics.db.query<{ sum: number }>("SELECT sum FROM day_rollups WHERE subject_id = 'c1'");
  expect(Number(day!.sum)).toBe(20);
  expect(await h.analytics.partitions.maintain(now + DAY_MS)).toContain(dayOf(at));
  const [left] = await h.analytics.db.query<{ n: string }>(
    "SELECT count(*) AS n FROM minute_buckets WHERE subject_id = 'c1'",
  );
  expect(Number(left!.n)).toBe(0);
});
