/**
 * `npm run bench:analytics`: the analytics write and read paths on PostgreSQL.
 *
 * Ingest: a synthetic slice of a busy day (1k live channels, a viewer sample
 * per channel every 10 s, chat at `--chat` messages per channel-minute from
 * a pool of chatters, VOD views), made one by one (the viewer hash included)
 * and handed to the service's ingest buffer as the event handlers do, which
 * writes them in batches (ingest.ts: one multi-row statement per table per
 * batch); against the baseline measured in the same run: row per event
 * (dedupe insert + bucket upsert per event, each its own statement).
 * Events/s per node (this process is one node).
 *
 * Queries: 30 days of minute buckets for 60 channels (one of them measured)
 * are generated in SQL and rolled up; then a 30-day hourly channel dashboard
 * and the admin overview (platform hourly series + top channels) are timed
 * from the rollups and, alternating, computed from the raw minute buckets.
 *
 * Options: --minutes 10 (of the day ingested)  --baseline 20000 (events row by row)  --queries 50
 *          --query-channels 60  --quick
 */

import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../bin/broker-options";
import { loadConfig, setConfig } from "../../lib/config";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import AnalyticsService, { type AnalyticsThis } from "../../services/engagement/analytics/analytics.service";
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf } from "../../services/engagement/analytics/buckets";
import { eventDigest, type IngestEvent } from "../../services/engagement/analytics/ingest";
import { rollupAll } from "../../services/engagement/analytics/rollups";
import { readBuckets } from "../../services/engagement/analytics/series";
import { readTopChannels } from "../../services/engagement/analytics/admin-analytics";
import { memberHash } from "../../services/engagement/analytics/viewer-keys";
import { createBenchDatabase } from "../shared/database";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const QUICK = args.includes("--quick");
const CHANNELS = 1000;
const MINUTES = Number(opt("minutes", QUICK ? "2" : "10"));
const CHAT_PER_CHANNEL_MINUTE = Number(opt("chat", "3"));
const BASELINE = Number(opt("baseline", QUICK ? "5000" : "20000"));
const QUERIES = Number(opt("queries", QUICK ? "10" : "50"));
const QUERY_CHANNELS = Number(opt("query-channels", QUICK ? "10" : "60"));
/** Viewer samples without their channel mark: the ingest as it was before the live-window gate (for comparison). */
const UNGATED = args.includes("--ungated");

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** The synthetic day's events of `minutes` minutes from `start`, in time order (hashed as they are made). */
function* syntheticEvents(start: number, minutes: number): Generator<IngestEvent> {
  const key = Buffer.alloc(32, 7);
  let n = 0;
  for (let m = 0; m < minutes; m++)
    for (let s = 0; s < 60; s += 10) {
      const at = start + m * MINUTE_MS + s * 1000;
      for (let c = 0; c < CHANNELS; c++) {
        const channelId = `ch${c}`;
        yield {
          id: `v:${channelId}:${at}`,
          at,
          facts: [{ scope: "channel", subjectId: channelId, metric: "viewers", value: 50 + ((c * 7 + s) % 200) }],
          // As viewerSampleFacts marks them: counted only inside a live window of the channel (live-windows.ts).
          ...(UNGATED ? {} : { whileLive: channelId }),
        };
        // Chat and views spread over the six sample slots of a minute.
        if ((c + s / 10) % Math.max(1, Math.round(6 / CHAT_PER_CHANNEL_MINUTE)) === 0) {
          n++;
          yield {
            id: `chat:${start}:${n}`,
            at: at + 1,
            facts: [
              { scope: "channel", subjectId: channelId, metric: "chat_messages", value: 1 },
              { scope: "platform", subjectId: "", metric: "chat_messages", value: 1 },
            ],
            members: [
              { scope: "channel", subjectId: channelId, metric: "chatters", member: memberHash(key, `u${n % 5000}`) },
            ],
          };
        }
        if (c % 10 === s / 10) {
          n++;
          const videoId = `vid${c % 300}`;
          yield {
            id: `view:${start}:${n}`,
            at: at + 2,
            facts: [
              { scope: "video", subjectId: videoId, metric: "video_views", value: 1 },
              { scope: "channel", subjectId: channelId, metric: "video_views", value: 1 },
              { scope: "platform", subjectId: "", metric: "video_views", value: 1 },
            ],
            members: [
              { scope: "video", subjectId: videoId, metric: "video_viewers", member: memberHash(key, `u${n % 9000}`) },
            ],
          };
        }
      }
    }
}

/** The baseline: each event on its own (dedupe row, then one upsert per fact), autocommit. */
async function rowPerEvent(svc: AnalyticsThis, events: IngestEvent[]): Promise<void> {
  for (const e of events) {
    const fresh = await svc.db.query(
      "INSERT INTO ingested_events (day, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
      [new Date(dayOf(e.at)), eventDigest(e.id)],
    );
    if (fresh.length === 0) continue;
    for (const f of e.facts)
      await svc.db.query(
        `INSERT INTO minute_buckets (bucket, scope, subject_id, metric, sum, count, max) VALUES ($1, $2, $3, $4, $5, 1, $5)
         ON CONFLICT (bucket, scope, subject_id, metric) DO UPDATE SET sum = minute_buckets.sum + excluded.sum,
           count = minute_buckets.count + 1, max = GREATEST(minute_buckets.max, excluded.max)`,
        [new Date(Math.floor(e.at / MINUTE_MS) * MINUTE_MS), f.scope, f.subjectId, f.metric, f.value],
      );
    for (const m of e.members ?? [])
      await svc.db.query(
        "INSERT INTO unique_members (bucket, scope, subject_id, metric, member) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [new Date(Math.floor(e.at / MINUTE_MS) * MINUTE_MS), m.scope, m.subjectId, m.metric, m.member],
      );
  }
}

async function main(): Promise<void> {
  const db = await createBenchDatabase("analytics");
  const dbName = db.name;
  const config = await loadConfig({
    ...process.env,
    ARENA_MODE: "embedded",
    DATABASE_URL: db.url,
    NAMESPACE: `bench${Date.now().toString(36)}`,
    DATA_DIR: process.env.DATA_DIR ?? `/tmp/${dbName}`,
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: "bench-analytics" }),
    logger: false,
    middlewares: [DurableEventsMiddleware(config)],
  });
  const svc = broker.createService({
    name: "analytics",
    mixins: [AnalyticsService as ServiceSchema],
    settings: { rawRetentionDays: 40, rollupIntervalS: 0 },
  }) as unknown as AnalyticsThis;
  try {
    await broker.start();
    const now = Date.now();
    const start = dayOf(now) + HOUR_MS * 0;
    const batch = svc.policy.flushMaxEvents;
    console.log(
      `# analytics ingest: ${CHANNELS} live channels, samples every 10 s, ${MINUTES} min of the day, flushes of up to ${batch}`,
    );

    // Every channel is live for the whole slice (stream.started heard an hour before): the gate reads these windows.
    await svc.db.query(
      `INSERT INTO stream_sessions (id, channel_id, started_at)
       SELECT 'bench-session-' || c, 'ch' || c, $1 FROM generate_series(0, $2::int - 1) AS c`,
      [new Date(start - HOUR_MS), CHANNELS],
    );
    console.log(`# viewer samples ${UNGATED ? "without" : "with"} the live-window gate`);

    // Batched ingest through the buffer, as the handlers feed it: events are made (and hashed) in the timed loop.
    let total = 0;
    let t0 = performance.now();
    for (const event of syntheticEvents(start, MINUTES)) {
      svc.buffer.add([event]);
      // Let the buffer's flushes run as they would between incoming messages.
      if (++total % batch === 0) await new Promise((r) => setImmediate(r));
    }
    await svc.buffer.flush();
    const batchedS = (performance.now() - t0) / 1000;
    const batchedRate = total / batchedS;
    if (svc.buffer.totals.counted !== total)
      throw new Error(
        `buffer counted ${svc.buffer.totals.counted} of ${total} events (${JSON.stringify(svc.buffer.totals)})`,
      );
    console.log(`batched:       ${total} events in ${batchedS.toFixed(2)} s = ${Math.round(batchedRate)} events/s`);

    // Row per event on fresh ids (another slice of the day).
    const base = [...syntheticEvents(start + 2 * HOUR_MS, Math.ceil(BASELINE / (total / MINUTES)) + 1)].slice(
      0,
      BASELINE,
    );
    t0 = performance.now();
    await rowPerEvent(svc, base);
    const rowS = (performance.now() - t0) / 1000;
    const rowRate = base.length / rowS;
    console.log(`row per event: ${base.length} events in ${rowS.toFixed(2)} s = ${Math.round(rowRate)} events/s`);
    console.log(`ratio batched / row per event: ${(batchedRate / rowRate).toFixed(1)}x`);

    // 30 days of minutes for 60 channels, generated in SQL, then rolled up.
    console.log(
      `# queries: 30 days of minute buckets for ${QUERY_CHANNELS} channels, rolled up; ${QUERIES} rounds alternating rollups / raw`,
    );
    const from = dayOf(now) - 30 * DAY_MS;
    await svc.partitions.ensureDays(Array.from({ length: 31 }, (_, i) => from + i * DAY_MS));
    t0 = performance.now();
    await svc.db.query(
      `INSERT INTO minute_buckets (bucket, scope, subject_id, metric, sum, count, max)
       SELECT b, 'channel', 'q' || c, m, CASE WHEN m = 'viewers' THEN 6 * (20 + c) ELSE 3 END, CASE WHEN m = 'viewers' THEN 6 ELSE 3 END, 20 + c + 5
       FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') AS b,
            generate_series(0, $3::int - 1) AS c, unnest(ARRAY['viewers', 'chat_messages', 'follows']) AS m
       ON CONFLICT DO NOTHING`,
      [new Date(from), new Date(dayOf(now)), QUERY_CHANNELS],
    );
    await svc.db.query(
      `INSERT INTO dirty_hours (hour) SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 hour') ON CONFLICT DO NOTHING`,
      [new Date(from), new Date(now)],
    );
    const rows = Number((await svc.db.query<{ n: string }>("SELECT count(*) AS n FROM minute_buckets"))[0]!.n);
    const hours = await rollupAll(svc.db);
    console.log(
      `generated ${rows} minute rows; rolled up ${hours} hours in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const range = { from, to: dayOf(now), granularity: "hour" as const };
    const dash = { rollup: [] as number[], raw: [] as number[] };
    const adminT = { rollup: [] as number[], raw: [] as number[] };
    const time = async (into: number[], fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    };
    for (let i = 0; i < QUERIES; i++) {
      const channel = `q${i % QUERY_CHANNELS}`;
      await time(dash.rollup, () =>
        readBuckets(svc.db, "channel", channel, ["viewers", "chat_messages", "follows"], range),
      );
      await time(dash.raw, () =>
        svc.db.query(
          `SELECT date_bin('1 hour', bucket, 'epoch'::timestamptz) AS h, metric, sum(sum), sum(count), max(max), count(*), sum(sum / count)
           FROM minute_buckets WHERE scope = 'channel' AND subject_id = $1 AND bucket >= $2 AND bucket < $3 AND metric = ANY($4::text[])
           GROUP BY 1, 2`,
          [channel, new Date(range.from), new Date(range.to), ["viewers", "chat_messages", "follows"]],
        ),
      );
      // The service's reads (admin-analytics.ts: top channels add whole days from day_rollups, edge hours from hour_rollups), cold.
      await time(adminT.rollup, async () => {
        await readBuckets(svc.db, "platform", "", ["viewers", "live_channels", "chat_messages", "follows"], range);
        await readTopChannels(svc.db, range, svc.policy.minGroupSize);
      });
      await time(adminT.raw, async () => {
        await svc.db.query(
          `SELECT date_bin('1 hour', bucket, 'epoch'::timestamptz) AS h, metric, sum(total), max(total), count(*) FROM (
             SELECT bucket, metric, sum(sum / count) AS total FROM minute_buckets
             WHERE scope = 'channel' AND bucket >= $1 AND bucket < $2 AND metric = ANY($3::text[]) GROUP BY bucket, metric) m
           GROUP BY 1, 2`,
          [new Date(range.from), new Date(range.to), ["viewers", "chat_messages", "follows"]],
        );
        await svc.db.query(
          `SELECT subject_id, sum(sum / count) AS vm, max(max) FROM minute_buckets WHERE scope = 'channel' AND metric = 'viewers'
           AND bucket >= $1 AND bucket < $2 GROUP BY subject_id ORDER BY vm DESC LIMIT 10`,
          [new Date(range.from), new Date(range.to)],
        );
      });
    }
    const line = (name: string, t: { rollup: number[]; raw: number[] }) =>
      console.log(
        `${name}: rollups p50 ${ms(pct(t.rollup, 50))} p99 ${ms(pct(t.rollup, 99))} | raw buckets p50 ${ms(pct(t.raw, 50))} p99 ${ms(pct(t.raw, 99))} | ${(pct(t.raw, 50) / pct(t.rollup, 50)).toFixed(0)}x`,
      );
    line("30-day hourly channel dashboard", dash);
    line("admin overview (30 days hourly + top channels)", adminT);

    // The same channel dashboards again through the service's read cache (rollup-cache.ts): a first pass fills it, the second is timed.
    const cachedTimes: number[] = [];
    for (const pass of [0, 1])
      for (let i = 0; i < QUERIES; i++) {
        const t = performance.now();
        const cached = await svc.rollupCache.at();
        await readBuckets(
          svc.db,
          "channel",
          `q${i % QUERY_CHANNELS}`,
          ["viewers", "chat_messages", "follows"],
          range,
          cached,
        );
        if (pass === 1) cachedTimes.push(performance.now() - t);
      }
    console.log(
      `30-day hourly channel dashboard, read cache hit (its generation query included): p50 ${ms(pct(cachedTimes, 50))} p99 ${ms(pct(cachedTimes, 99))}`,
    );
  } finally {
    await broker.stop();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
