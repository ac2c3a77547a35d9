/**
 * Plain events (viewer samples, chat batches, views, heartbeats) arrive one
 * by one; they wait here and are written together, one batch (ingest.ts)
 * every `flushIntervalMs` or as soon as `maxEvents` are waiting. A flush that
 * fails keeps its events for the next one (ids make the retry harmless), up
 * to `maxPending`; beyond that the oldest are dropped (`onLost`, a warning):
 * these are ephemeral signals, and a database outage must not grow the heap.
 *
 * The bound, as docs/analytics.md states it: what waits here is in memory
 * only. A crash loses at most `flushIntervalMs` of plain events while the
 * database answers, and up to `maxPending` events while it does not; a
 * stop (SIGTERM) flushes first (`close`).
 */
import type { IngestEvent, IngestResult } from "./ingest";

export interface BufferOptions {
  flushIntervalMs: number;
  maxEvents: number;
  maxPending: number;
  /**
   * Batches written at the same time (each in its own transaction, so on its
   * own connection) while more than a batch waits. Default 1. Safe for
   * counting: every table is written in key order and every write is
   * idempotent (ingest.ts, samples.ts), so two batches in flight neither
   * deadlock nor count an event twice, whatever they share.
   */
  maxConcurrent?: number;
  write(events: IngestEvent[]): Promise<IngestResult>;
  onError(err: unknown, pending: number): void;
  /** Events dropped because `maxPending` were already waiting (a long database outage). */
  onLost?(dropped: number, lostSinceStart: number): void;
}

export class IngestBuffer {
  private pending: IngestEvent[] = [];
  private timer?: NodeJS.Timeout;
  private readonly writers = new Set<Promise<void>>();
  /** A write failed: no new writer starts until the next flush (the timer's retry or an explicit one). */
  private failing = false;
  private closed = false;
  /** Totals since start, for metrics and tests. */
  readonly totals = { counted: 0, duplicates: 0, dropped: 0, lost: 0 };

  constructor(private readonly opts: BufferOptions) {}

  add(events: IngestEvent[]): void {
    if (this.closed || events.length === 0) return;
    this.pending.push(...events);
    const over = this.pending.length - this.opts.maxPending;
    if (over > 0) {
      this.pending.splice(0, over);
      this.totals.lost += over;
      this.opts.onLost?.(over, this.totals.lost);
    }
    if (this.pending.length >= this.opts.maxEvents && !this.failing) this.startWriters();
    else if (!this.timer && this.writers.size === 0)
      this.timer = setTimeout(() => void this.flush(), this.opts.flushIntervalMs);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes what is waiting (batch after batch, up to `maxConcurrent` at once) until empty or a write fails. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.failing = false;
    this.startWriters();
    while (this.writers.size > 0) await Promise.all([...this.writers]);
  }

  /** One writer per batch waiting, up to `maxConcurrent`: a part batch never gets a second writer. */
  private startWriters(): void {
    const wanted = Math.min(this.opts.maxConcurrent ?? 1, Math.ceil(this.pending.length / this.opts.maxEvents));
    while (this.writers.size < wanted) {
      const writer: Promise<void> = this.drain().finally(() => {
        this.writers.delete(writer);
        if (this.writers.size === 0 && this.pending.length > 0 && !this.closed && !this.timer)
          this.timer = setTimeout(() => void this.flush(), this.opts.flushIntervalMs);
      });
      this.writers.add(writer);
    }
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.failing) {
      const batch = this.pending.splice(0, this.opts.maxEvents);
      try {
        const result = await this.opts.write(batch);
        this.totals.counted += result.counted;
        this.totals.duplicates += result.duplicates;
        this.totals.dropped += result.dropped;
      } catch (err) {
        this.failing = true;
        this.pending.unshift(...batch);
        this.opts.onError(err, this.pending.length);
        return;
      }
    }
  }

  /** Flushes and stops taking events (service stop). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
