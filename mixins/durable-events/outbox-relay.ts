/**
 * Moves committed outbox rows to the channels adapter. Runs right after a
 * transaction that wrote events commits ("kick"), and on a timer so rows
 * left behind by a crash or a broker outage are published by whichever node
 * of the service is up next.
 */
import { AsyncResource } from "node:async_hooks";
import type { LoggerInstance } from "moleculer";
import type { DurableEnvelope } from "./catalog";
import { readOutboxBacklog, type OutboxBacklog } from "./outbox-metrics";
import { lockUnpublished, markFailed, markPublished, pruneOld, type OutboxDb, type OutboxRow } from "./outbox-store";

export interface OutboxRelayOptions {
  db: () => OutboxDb | undefined;
  publish: (envelope: DurableEnvelope) => Promise<void>;
  isReady: () => boolean;
  logger: LoggerInstance;
  intervalMs: number;
  batchSize: number;
  /** Published outbox rows and processed marks older than this are deleted. */
  keepMs: number;
  /**
   * Publish a batch concurrently (network adapters keep call order on their
   * one connection). The in-process adapter with a pooled store would not,
   * so it gets one publish at a time.
   */
  concurrent: boolean;
  /** After each periodic sweep: the backlog left (outbox-metrics.ts). */
  onBacklog?: (backlog: OutboxBacklog) => void;
}

export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private again = false;
  private stopped = false;
  private sweeps = 0;
  /**
   * Passes run in the context the relay was created in (service start), never
   * in the caller's: a kick comes from publishDurable's commit callback, and
   * the relay's own transaction must not be mistaken for a nested one.
   */
  private readonly scope = new AsyncResource("ArenaOutboxRelay");

  constructor(private readonly opts: OutboxRelayOptions) {}

  startSweeping(): void {
    this.stopped = false;
    if (this.timer) return;
    this.timer = setInterval(() => void this.kick().then(() => this.measure()), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Reports the backlog after a sweep; a failure here only costs a gauge update. */
  private async measure(): Promise<void> {
    const db = this.opts.db();
    if (!this.opts.onBacklog || !db || this.stopped) return;
    try {
      this.opts.onBacklog(await this.scope.runInAsyncScope(() => readOutboxBacklog(db)));
    } catch {
      // The sweep itself logs database trouble.
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /**
   * Relays everything pending now. Concurrent kicks coalesce: one more pass
   * runs after the current one, so rows committed during a pass are not
   * left for the timer. Resolves with the number of rows published.
   */
  kick(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.scope
      .runInAsyncScope(() => this.loop())
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async loop(): Promise<number> {
    let total = 0;
    do {
      this.again = false;
      total += await this.drain();
    } while (this.again && !this.stopped);
    return total;
  }

  private async drain(): Promise<number> {
    const db = this.opts.db();
    if (!db || !this.opts.isReady() || this.stopped) return 0;
    let total = 0;
    try {
      for (;;) {
        const { published, more } = await db.transaction(() => this.relayBatch(db));
        total += published;
        if (!more || this.stopped) break;
      }
      if (++this.sweeps % 50 === 0) await pruneOld(db, this.opts.keepMs);
    } catch (err) {
      // Table not migrated yet, DB restarting...: the next kick or sweep retries.
      this.opts.logger.warn("Outbox relay pass failed; will retry", err instanceof Error ? err.message : err);
    }
    return total;
  }

  /**
   * Publishes a batch concurrently: every adapter sends publishes of one
   * connection in call order, so the broker still stores them in seq order,
   * and the batch costs one round trip's latency instead of one per row.
   */
  private async relayBatch(db: OutboxDb): Promise<{ published: number; more: boolean }> {
    const rows = await lockUnpublished(db, this.opts.batchSize);
    const results = this.opts.concurrent
      ? await Promise.allSettled(rows.map((row) => this.opts.publish(row.envelope)))
      : await this.publishInTurn(rows);
    const published = rows.filter((_, i) => results[i]?.status === "fulfilled").map((row) => row.id);
    await markPublished(db, published);
    const failures = rows.flatMap((row, i) => {
      const result = results[i];
      return result?.status === "rejected" ? [{ row, reason: result.reason as unknown }] : [];
    });
    for (const { row, reason } of failures) {
      await markFailed(db, row.id, reason instanceof Error ? reason.message : String(reason));
    }
    if (failures.length > 0) {
      const { row, reason } = failures[0];
      this.opts.logger.warn(
        `Outbox relay could not publish ${failures.length} event(s), first '${row.envelope.type}' ${row.id}; will retry`,
        reason instanceof Error ? reason.message : reason,
      );
      // Stop here: the broker is likely down; the sweep retries.
      return { published: published.length, more: false };
    }
    return { published: published.length, more: rows.length === this.opts.batchSize };
  }

  /** One at a time, stopping at the first failure (the rest stay for the next pass, in order). */
  private async publishInTurn(rows: OutboxRow[]): Promise<Array<PromiseSettledResult<void>>> {
    const results: Array<PromiseSettledResult<void>> = [];
    for (const row of rows) {
      try {
        await this.opts.publish(row.envelope);
        results.push({ status: "fulfilled", value: undefined });
      } catch (reason) {
        results.push({ status: "rejected", reason });
        break;
      }
    }
    return results;
  }
}
