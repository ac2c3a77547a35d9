/**
 * The analytics ingest buffer's bound (docs/analytics.md): events wait at
 * most `flushIntervalMs` while writes succeed, are kept (not lost) across a
 * failed write up to `maxPending`, the oldest beyond that are dropped and
 * reported, and a stop flushes what waits.
 */
import type { IngestEvent, IngestResult } from "../../../../services/engagement/analytics/ingest";
import { IngestBuffer } from "../../../../services/engagement/analytics/ingest-buffer";

const event = (id: number): IngestEvent => ({ id: `e${id}`, at: 0, facts: [] });
const events = (from: number, n: number): IngestEvent[] => Array.from({ length: n }, (_, i) => event(from + i));

function harness(
  opts: {
    maxEvents?: number;
    maxPending?: number;
    flushIntervalMs?: number;
    maxConcurrent?: number;
    writeMs?: number;
  } = {},
) {
  const written: string[][] = [];
  const lost: Array<[number, number]> = [];
  let failing = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const buffer = new IngestBuffer({
    flushIntervalMs: opts.flushIntervalMs ?? 20,
    maxEvents: opts.maxEvents ?? 100,
    maxPending: opts.maxPending ?? 1000,
    maxConcurrent: opts.maxConcurrent,
    async write(batch): Promise<IngestResult> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (opts.writeMs) await sleep(opts.writeMs);
        if (failing) throw new Error("database down");
        written.push(batch.map((e) => e.id));
        return { counted: batch.length, duplicates: 0, dropped: 0 };
      } finally {
        inFlight--;
      }
    },
    onError: () => undefined,
    onLost: (dropped, total) => lost.push([dropped, total]),
  });
  return { buffer, written, lost, fail: (on: boolean) => (failing = on), maxInFlight: () => maxInFlight };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("analytics IngestBuffer", () => {
  it("writes what waits within flushIntervalMs, and at once when a batch is full", async () => {
    const h = harness({ maxEvents: 3, flushIntervalMs: 30 });
    h.buffer.add(events(0, 2));
    expect(h.written).toEqual([]);
    await sleep(80);
    expect(h.written).toEqual([["e0", "e1"]]);
    h.buffer.add(events(2, 3)); // a full batch: no waiting for the timer
    await h.buffer.flush();
    expect(h.written[1]).toEqual(["e2", "e3", "e4"]);
    await h.buffer.close();
  });

  it("keeps events across failed writes, drops (and reports) the oldest beyond maxPending", async () => {
    const h = harness({ maxEvents: 100, maxPending: 25, flushIntervalMs: 1000 });
    h.fail(true);
    h.buffer.add(events(0, 20));
    await h.buffer.flush(); // fails: the 20 stay
    expect(h.buffer.size).toBe(20);
    h.buffer.add(events(20, 10)); // 30 > 25: the 5 oldest go
    expect(h.buffer.size).toBe(25);
    expect(h.lost).toEqual([[5, 5]]);
    expect(h.buffer.totals.lost).toBe(5);
    h.fail(false);
    await h.buffer.flush();
    expect(h.written.flat()).toEqual(events(5, 25).map((e) => e.id));
    await h.buffer.close();
  });

  it("writes up to maxConcurrent full batches at once, never a second writer for a part batch", async () => {
    const h = harness({ maxEvents: 10, maxConcurrent: 2, flushIntervalMs: 1000, writeMs: 30 });
    h.buffer.add(events(0, 5));
    await h.buffer.flush();
    expect(h.maxInFlight()).toBe(1);
    h.buffer.add(events(5, 45)); // four and a half batches
    await h.buffer.flush();
    expect(h.maxInFlight()).toBe(2);
    expect(h.written.flat().sort()).toEqual(
      events(0, 50)
        .map((e) => e.id)
        .sort(),
    );
    expect(h.buffer.totals.counted).toBe(50);
    await h.buffer.close();
  });

  it("keeps every event of batches that fail while another is in flight", async () => {
    const h = harness({ maxEvents: 10, maxConcurrent: 2, flushIntervalMs: 1000, writeMs: 20 });
    h.fail(true);
    h.buffer.add(events(0, 40));
    await h.buffer.flush();
    expect(h.buffer.size).toBe(40);
    expect(h.written).toEqual([]);
    h.fail(false);
    await h.buffer.flush();
    expect(h.written.flat().sort()).toEqual(
      events(0, 40)
        .map((e) => e.id)
        .sort(),
    );
    expect(h.buffer.size).toBe(0);
    await h.buffer.close();
  });

  it("flushes what waits when the service stops", async () => {
    const h = harness({ flushIntervalMs: 60_000 });
    h.buffer.add(events(0, 7));
    await h.buffer.close();
    expect(h.written.flat()).toHaveLength(7);
    h.buffer.add(events(7, 1)); // closed: not taken
    expect(h.buffer.size).toBe(0);
  });
});
