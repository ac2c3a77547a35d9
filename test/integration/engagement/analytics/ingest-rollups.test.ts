/**
 * Analytics storage against PostgreSQL, with every connection in a far-off
 * session time zone (Pacific/Chatham, UTC+13:45) so that any bucket edge
 * computed in local time would show: minute/hour/day buckets in UTC, daily
 * partitions made ahead and on demand and dropped for retention, an event
 * counted once however often it is delivered, and rollups equal to a
 * brute-force recomputation from the events.
 */
import { randomUUID } from "node:crypto";
import { broadcastEvent, emitEvent } from "../../../../lib/contracts";
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf } from "../../../../services/engagement/analytics/buckets";
import { handleCounted } from "../../../../services/engagement/analytics/consumers";
import { ingest, type IngestEvent } from "../../../../services/engagement/analytics/ingest";
import { IngestBuffer } from "../../../../services/engagement/analytics/ingest-buffer";
import { rollupAll } from "../../../../services/engagement/analytics/rollups";
import type { DurableEnvelope } from "../../../../mixins/durable-events";
import { waitFor } from "../../../helpers/infra";
import { startAnalytics, type AnalyticsHarness } from "./analytics-harness";

let h: AnalyticsHarness;
const NOW = Date.now();
const TODAY = dayOf(NOW);

beforeAll(async () => {
  h = await startAnalytics({ timeZone: "Pacific/Chatham", settings: { rawRetentionDays: 7, partitionsAheadDays: 2 } });
});
afterAll(async () => {
  await h?.stop();
});

const q = <R>(sql: string, bind: unknown[] = []) => h.analytics.db.query<R>(sql, bind);
const counter = (
  id: string,
  at: number,
  subjectId: string,
  metric: "chat_messages" | "follows",
  value = 1,
): IngestEvent => ({
  id,
  at,
  facts: [{ scope: "channel", subjectId, metric, value }],
});

async function minuteRows(
  subjectId: string,
): Promise<Array<{ bucket: string; metric: string; sum: number; part: string }>> {
  const rows = await q<{ bucket: Date; metric: string; sum: number; part: string }>(
    `SELECT bucket, metric, sum, tableoid::regclass::text AS part FROM minute_buckets WHERE subject_id = $1 ORDER BY bucket, metric`,
    [subjectId],
  );
  return rows.map((r) => ({ ...r, bucket: new Date(r.bucket).toISOString(), sum: Number(r.sum) }));
}

describe("buckets in UTC", () => {
  it("puts events on both sides of an hour and a day edge into UTC minutes, hours, days and daily partitions", async () => {
    const subject = `edge-${randomUUID()}`;
    const midnight = TODAY; // 00:00Z today
    const events = [
      counter("e1", midnight - 30_000, subject, "chat_messages"), // 23:59:30Z yesterday
      counter("e2", midnight - 1, subject, "chat_messages"), // 23:59:59.999Z yesterday
      counter("e3", midnight, subject, "chat_messages"), // 00:00:00Z today
      counter("e4", midnight + HOUR_MS - 1, subject, "chat_messages"), // 00:59:59.999Z
      counter("e5", midnight + HOUR_MS, subject, "chat_messages"), // 01:00Z
    ].map((e) => ({ ...e, id: `${subject}-${e.id}` }));
    await ingest(h.analytics.db, h.analytics.partitions, events, NOW);
    const rows = await minuteRows(subject);
    const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");
    expect(rows).toEqual([
      {
        bucket: new Date(midnight - MINUTE_MS).toISOString(),
        metric: "chat_messages",
        sum: 2,
        part: `minute_buckets_${stamp(midnight - DAY_MS)}`,
      },
      {
        bucket: new Date(midnight).toISOString(),
        metric: "chat_messages",
        sum: 1,
        part: `minute_buckets_${stamp(midnight)}`,
      },
      {
        bucket: new Date(midnight + HOUR_MS - MINUTE_MS).toISOString(),
        metric: "chat_messages",
        sum: 1,
        part: `minute_buckets_${stamp(midnight)}`,
      },
      {
        bucket: new Date(midnight + HOUR_MS).toISOString(),
        metric: "chat_messages",
        sum: 1,
        part: `minute_buckets_${stamp(midnight)}`,
      },
    ]);
    await rollupAll(h.analytics.db);
    const hours = await q<{ bucket: Date; sum: number }>(
      "SELECT bucket, sum FROM hour_rollups WHERE subject_id = $1 ORDER BY bucket",
      [subject],
    );
    expect(hours.map((r) => [new Date(r.bucket).toISOString(), Number(r.sum)])).toEqual([
      [new Date(midnight - HOUR_MS).toISOString(), 2],
      [new Date(midnight).toISOString(), 2],
      [new Date(midnight + HOUR_MS).toISOString(), 1],
    ]);
    const days = await q<{ bucket: Date; sum: number }>(
      "SELECT bucket, sum FROM day_rollups WHERE subject_id = $1 ORDER BY bucket",
      [subject],
    );
    expect(days.map((r) => [new Date(r.bucket).toISOString(), Number(r.sum)])).toEqual([
      [new Date(midnight - DAY_MS).toISOString(), 2],
      [new Date(midnight).toISOString(), 3],
    ]);
  });
});

describe("idempotency", () => {
  it("counts a batch delivered twice, and a repeat inside one batch, once", async () => {
    const subject = `idem-${randomUUID()}`;
    const events = Array.from({ length: 50 }, (_, i) => counter(`${subject}-${i}`, NOW - i * 1000, subject, "follows"));
    const first = await ingest(h.analytics.db, h.analytics.partitions, [...events, events[0]!], NOW);
    expect(first).toEqual({ counted: 50, duplicates: 1, dropped: 0 });
    const again = await ingest(h.analytics.db, h.analytics.partitions, events, NOW);
    expect(again).toEqual({ counted: 0, duplicates: 50, dropped: 0 });
    const [row] = await q<{ total: number }>("SELECT sum(sum) AS total FROM minute_buckets WHERE subject_id = $1", [
      subject,
    ]);
    expect(Number(row!.total)).toBe(50);
  });

  it("counts a redelivered durable event once (the durable layer and ingested_events both dedupe)", async () => {
    const channelId = `dur-${randomUUID()}`;
    await h.producer.publishDurable("channel.followed", {
      userId: "u1",
      channelId,
      followedAt: new Date(NOW).toISOString(),
    });
    await h.producer.relayOutbox();
    const follows = async () =>
      Number(
        (
          await q<{ total: number | null }>(
            "SELECT sum(sum) AS total FROM minute_buckets WHERE subject_id = $1 AND metric = 'follows'",
            [channelId],
          )
        )[0]?.total ?? 0,
      );
    await waitFor(async () => (await follows()) === 1, { what: "the follow counted" });
    // The same envelope again, as a redelivery after a lost ack would hand it to the batch handler.
    const envelope: DurableEnvelope<"channel.followed"> = {
      id: (
        await q<{ event_id: string }>("SELECT event_id FROM processed_events ORDER BY processed_at DESC LIMIT 1")
      )[0]!.event_id,
      type: "channel.followed",
      occurredAt: new Date(NOW).toISOString(),
      producer: "users",
      payload: { userId: "u1", channelId, followedAt: new Date(NOW).toISOString() },
    };
    await h.analytics.db.transaction(() => handleCounted(h.analytics, "channel.followed", [envelope]));
    expect(await follows()).toBe(1);
  });

  it("counts a chat batch emitted twice (a retried appendMessages) once, and its chatters as hashes", async () => {
    const channelId = `chat-${randomUUID()}`;
    const messages = Array.from({ length: 12 }, (_, i) => ({
      id: `${channelId}-m${i}`,
      channelId,
      userId: `user-${i % 3}`,
      sentAt: NOW - 5000 + i,
    }));
    await emitEvent(h.broker, "chat.messages.stored", { messages });
    await broadcastEvent(h.broker, "chat.messages.stored", { messages });
    await waitFor(async () => h.analytics.buffer.totals.duplicates >= 12 || undefined, {
      what: "both deliveries handled",
    });
    await h.analytics.buffer.flush();
    const [row] = await q<{ total: number }>(
      "SELECT sum(sum) AS total FROM minute_buckets WHERE subject_id = $1 AND metric = 'chat_messages'",
      [channelId],
    );
    expect(Number(row!.total)).toBe(12);
    const members = await q<{ member: Buffer }>("SELECT DISTINCT member FROM unique_members WHERE subject_id = $1", [
      channelId,
    ]);
    expect(members).toHaveLength(3);
    for (const { member } of members) expect(member.toString("utf8")).not.toMatch(/user-/);
  });
});

describe("viewer samples (deduped by the minute bucket, not ingested_events)", () => {
  const sample = (channelId: string, at: number, viewers: number): IngestEvent => ({
    id: `viewers:${channelId}:${at}`,
    at,
    facts: [{ scope: "channel", subjectId: channelId, metric: "viewers", value: viewers }],
    dedupe: "sample",
  });
  const bucketOf = async (channelId: string) =>
    (
      await q<{ bucket: Date; sum: number; count: string; max: number }>(
        "SELECT bucket, sum, count, max FROM minute_buckets WHERE subject_id = $1 AND metric = 'viewers' ORDER BY bucket",
        [channelId],
      )
    ).map((r) => ({
      bucket: new Date(r.bucket).getTime(),
      sum: Number(r.sum),
      count: Number(r.count),
      max: Number(r.max),
    }));
  const minute = Math.floor((NOW - 10 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;

  it("counts a redelivered batch, a partly overlapping one and a repeat inside a batch once per sample", async () => {
    const channelId = `smp-${randomUUID()}`;
    const events0 = [0, 10, 20].map((s) => sample(channelId, minute + s * 1000 + 7, 10 + s));
    const ingestedBefore = Number((await q<{ n: string }>("SELECT count(*) AS n FROM ingested_events"))[0]!.n);
    const first = await ingest(h.analytics.db, h.analytics.partitions, [...events0, events0[1]!], NOW);
    expect(first).toEqual({ counted: 3, duplicates: 1, dropped: 0 });
    expect(await ingest(h.analytics.db, h.analytics.partitions, events0, NOW)).toEqual({
      counted: 0,
      duplicates: 3,
      dropped: 0,
    });
    // Seconds 20 and 0 again (the second with another value: the first counted stays), 30 and 40 new.
    const overlap = [
      sample(channelId, minute + 20_000, 99),
      sample(channelId, minute + 30_000, 40),
      sample(channelId, minute + 40_500, 50),
      sample(channelId, minute + 999, 1),
    ];
    expect(await ingest(h.analytics.db, h.analytics.partitions, overlap, NOW)).toEqual({
      counted: 2,
      duplicates: 2,
      dropped: 0,
    });
    expect(await bucketOf(channelId)).toEqual([{ bucket: minute, sum: 10 + 20 + 30 + 40 + 50, count: 5, max: 50 }]);
    const ingestedAfter = Number((await q<{ n: string }>("SELECT count(*) AS n FROM ingested_events"))[0]!.n);
    expect(ingestedAfter).toBe(ingestedBefore);
  });

  it("counts each sample once when overlapping batches are written at the same time on several connections", async () => {
    const channels = Array.from({ length: 5 }, () => `smpc-${randomUUID()}`);
    const all = channels.flatMap((c, k) =>
      Array.from({ length: 30 }, (_, i) => sample(c, minute - 5 * MINUTE_MS + i * 10_000, k * 100 + i)),
    );
    // Three batches over the same samples, shifted, plus one exact repeat: each sample is in two or three of them.
    const slices = [all.slice(0, 100), all.slice(50, 150), all.slice(25, 125), all.slice(0, 100)];
    const results = await Promise.all(slices.map((b) => ingest(h.analytics.db, h.analytics.partitions, b, NOW)));
    expect(results.reduce((n, r) => n + r.counted, 0)).toBe(all.length);
    for (const channelId of channels) {
      const rows = await bucketOf(channelId);
      const expected = new Map<number, { sum: number; count: number; max: number }>();
      for (const e of all.filter((e) => e.facts[0]!.subjectId === channelId)) {
        const b = Math.floor(e.at / MINUTE_MS) * MINUTE_MS;
        const cur = expected.get(b) ?? { sum: 0, count: 0, max: -Infinity };
        const v = e.facts[0]!.value;
        expected.set(b, { sum: cur.sum + v, count: cur.count + 1, max: Math.max(cur.max, v) });
      }
      expect(rows).toEqual([...expected].sort((a, b) => a[0] - b[0]).map(([bucket, r]) => ({ bucket, ...r })));
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(30);
    }
  });

  it("counts each event once through a buffer writing two batches at once, every event delivered twice", async () => {
    const channelId = `smpb-${randomUUID()}`;
    const buffer = new IngestBuffer({
      flushIntervalMs: 1000,
      maxEvents: 40,
      maxPending: 10_000,
      maxConcurrent: 2,
      write: (batch) => ingest(h.analytics.db, h.analytics.partitions, batch, NOW, { plainOnly: true }),
      onError: (err) => {
        throw err;
      },
    });
    const samples = Array.from({ length: 120 }, (_, i) => sample(channelId, minute - 20 * MINUTE_MS + i * 10_000, i));
    const chats = Array.from({ length: 120 }, (_, i) => ({
      ...counter(`${channelId}-chat-${i}`, minute - 20 * MINUTE_MS + i * 10_000 + 1, channelId, "chat_messages"),
      members: [
        {
          scope: "channel" as const,
          subjectId: channelId,
          metric: "chatters" as const,
          member: Buffer.alloc(16, i % 7),
        },
      ],
    }));
    const all = samples.flatMap((e, i) => [e, chats[i]!]);
    // The second delivery shifted by half a batch, so the copies of an event land in different batches in flight.
    buffer.add(all.slice(0, 20));
    buffer.add([...all.slice(20), ...all]);
    await buffer.close();
    expect(buffer.totals).toMatchObject({ counted: 240, duplicates: 240 });
    const rows = await q<{ metric: string; sum: number; count: string }>(
      "SELECT metric, sum(sum) AS sum, sum(count) AS count FROM minute_buckets WHERE subject_id = $1 GROUP BY metric ORDER BY metric",
      [channelId],
    );
    expect(rows.map((r) => [r.metric, Number(r.sum), Number(r.count)])).toEqual([
      ["chat_messages", 120, 120],
      ["viewers", (119 * 120) / 2, 120],
    ]);
  });

  it("takes the realtime node's stream.viewers.sampled emitted twice once", async () => {
    const channelId = `smpe-${randomUUID()}`;
    const at = new Date(minute + 15_000).toISOString();
    // Live viewing counts only while the channel is live (live-windows.ts): the stream's session as stream.started leaves it.
    await h.analytics.stores.streamSessions.insert({
      id: `s-${channelId}`,
      channelId,
      title: "",
      startedAt: new Date(minute),
      endedAt: null,
      durationS: null,
      peakViewers: null,
    });
    const before = h.analytics.buffer.totals.duplicates;
    await emitEvent(h.broker, "stream.viewers.sampled", { channelId, viewerCount: 12, at });
    await broadcastEvent(h.broker, "stream.viewers.sampled", { channelId, viewerCount: 12, at });
    await waitFor(
      async () => {
        await h.analytics.buffer.flush();
        return h.analytics.buffer.totals.duplicates > before || undefined;
      },
      { what: "both deliveries handled" },
    );
    expect(await bucketOf(channelId)).toEqual([{ bucket: minute, sum: 12, count: 1, max: 12 }]);
  });
});

describe("partitions and retention", () => {
  it("creates partitions ahead, drops whole days past retention, and keeps the rollups", async () => {
    const subject = `ret-${randomUUID()}`;
    const days = await h.analytics.partitions.listDays();
    for (let i = 0; i <= 2; i++) expect(days.get("minute_buckets")).toContain(TODAY + i * DAY_MS);
    const old = TODAY - 6 * DAY_MS + HOUR_MS; // the oldest kept day with 7 days of retention
    await ingest(h.analytics.db, h.analytics.partitions, [counter(`${subject}-old`, old, subject, "follows")], NOW);
    const tooOld = await ingest(
      h.analytics.db,
      h.analytics.partitions,
      [counter(`${subject}-x`, old - DAY_MS, subject, "follows")],
      NOW,
    );
    expect(tooOld.dropped).toBe(1);
    await rollupAll(h.analytics.db);
    expect(await minuteRows(subject)).toHaveLength(1);
    // A day later the oldest day is past retention: its partitions go, its rollups stay.
    const dropped = await h.analytics.partitions.maintain(NOW + DAY_MS);
    expect(dropped).toContain(dayOf(old));
    expect(await minuteRows(subject)).toHaveLength(0);
    expect((await h.analytics.partitions.listDays()).get("ingested_events")).not.toContain(dayOf(old));
    const [hour] = await q<{ sum: number }>("SELECT sum FROM hour_rollups WHERE subject_id = $1", [subject]);
    expect(Number(hour!.sum)).toBe(1);
  });
});

describe("rollups", () => {
  it("equal a brute-force recomputation from the events (counters, viewer gauges, uniques, platform)", async () => {
    const channels = Array.from({ length: 4 }, (_, i) => `bf${i}-${randomUUID()}`);
    const start = TODAY - 2 * DAY_MS;
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const events: IngestEvent[] = [];
    for (let i = 0; i < 3000; i++) {
      const at = start + Math.floor(rand() * (NOW - start));
      const channelId = channels[Math.floor(rand() * channels.length)]!;
      if (rand() < 0.5)
        events.push({
          id: `bf-v-${i}`,
          at,
          facts: [{ scope: "channel", subjectId: channelId, metric: "viewers", value: Math.floor(rand() * 100) }],
          // As viewerSampleFacts makes them: deduped per (channel, second) by the minute bucket.
          dedupe: "sample",
        });
      else
        events.push({
          id: `bf-c-${i}`,
          at,
          facts: [{ scope: "channel", subjectId: channelId, metric: "chat_messages", value: 1 }],
          members: [
            {
              scope: "channel",
              subjectId: channelId,
              metric: "chatters",
              member: Buffer.from(`m${Math.floor(rand() * 20)}`.padEnd(16, "_")),
            },
          ],
        });
    }
    for (let i = 0; i < events.length; i += 700)
      await ingest(h.analytics.db, h.analytics.partitions, events.slice(i, i + 700), NOW);
    // Redelivered, in other batches: changes nothing.
    for (let i = 350; i < events.length; i += 700)
      await ingest(h.analytics.db, h.analytics.partitions, events.slice(i, i + 700), NOW);
    await rollupAll(h.analytics.db);

    // Brute force, in JS from the events themselves.
    type Acc = {
      sum: number;
      count: number;
      max: number;
      minutes: Map<number, { sum: number; count: number }>;
      members: Set<string>;
    };
    const acc = new Map<string, Acc>();
    const add = (key: string, minute: number, value: number, member?: string) => {
      const a = acc.get(key) ?? { sum: 0, count: 0, max: -Infinity, minutes: new Map(), members: new Set<string>() };
      if (member) a.members.add(member);
      else {
        a.sum += value;
        a.count += 1;
        a.max = Math.max(a.max, value);
        const m = a.minutes.get(minute) ?? { sum: 0, count: 0 };
        m.sum += value;
        m.count += 1;
        a.minutes.set(minute, m);
      }
      acc.set(key, a);
    };
    const samplesSeen = new Set<string>();
    for (const e of events) {
      const minute = Math.floor(e.at / MINUTE_MS) * MINUTE_MS;
      const sampleKey = `${e.facts[0]!.subjectId}|${Math.floor(e.at / 1000)}`;
      if (e.dedupe === "sample") {
        if (samplesSeen.has(sampleKey)) continue;
        samplesSeen.add(sampleKey);
      }
      for (const step of [HOUR_MS, DAY_MS]) {
        const bucket = Math.floor(e.at / step) * step;
        for (const f of e.facts) add(`${step}|${bucket}|${f.subjectId}|${f.metric}`, minute, f.value);
        for (const m of e.members ?? [])
          add(`${step}|${bucket}|${m.subjectId}|${m.metric}`, minute, 0, m.member.toString("hex"));
      }
    }
    for (const [table, step] of [
      ["hour_rollups", HOUR_MS],
      ["day_rollups", DAY_MS],
    ] as const) {
      const rows = await q<{
        bucket: Date;
        subject_id: string;
        metric: string;
        sum: number;
        count: number;
        max: number | null;
        avg_sum: number;
      }>(
        `SELECT bucket, subject_id, metric, sum, count, max, avg_sum FROM ${table} WHERE subject_id = ANY($1::text[])`,
        [channels],
      );
      const expected = [...acc.entries()].filter(([k]) => k.startsWith(`${step}|`));
      expect(rows).toHaveLength(expected.length);
      for (const r of rows) {
        const a = acc.get(`${step}|${new Date(r.bucket).getTime()}|${r.subject_id}|${r.metric}`)!;
        if (r.metric === "chatters") expect(Number(r.sum)).toBe(a.members.size);
        else {
          expect(Number(r.sum)).toBe(a.sum);
          expect(Number(r.count)).toBe(a.count);
          expect(Number(r.max)).toBe(a.max);
          const avgSum = [...a.minutes.values()].reduce((s, m) => s + m.sum / m.count, 0);
          expect(Number(r.avg_sum)).toBeCloseTo(avgSum, 6);
        }
      }
    }
  });
});
