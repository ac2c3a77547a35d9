/**
 * Group commit for DB consumers (`durableHandler(type, { batch: true })`):
 * the events of one handler that are in flight together are handled in one
 * transaction — one dedupe insert and one commit for the lot instead of one
 * per event. A commit waits on the disk, so this is what lets a node handle
 * thousands of events a second. If anything in a batch fails, the batch
 * rolls back and each of its events is handled again on its own (its own
 * transaction, retries, dead letter), so one bad event costs the others a
 * second run, never their delivery.
 */
import type { DurableEnvelope } from "./catalog";

/** The batch rolled back; the caller handles its event alone. */
export class BatchFailed extends Error {
  constructor(override readonly cause: unknown) {
    super(`batch rolled back: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

interface Pending {
  envelope: DurableEnvelope;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class HandlerBatcher {
  private readonly queue: Pending[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    /** Handles a batch in one transaction; throws to roll it back. */
    private readonly runBatch: (envelopes: DurableEnvelope[]) => Promise<void>,
    private readonly maxSize: number,
    /** Batches in progress at once (different connections), so the next one fills while one commits. */
    private readonly concurrency = 2,
  ) {}

  /** Resolves once the event's batch committed; rejects with BatchFailed if it rolled back. */
  submit(envelope: DurableEnvelope): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ envelope, resolve, reject });
      // Wait one turn of the event loop: deliveries arriving together share a batch.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxSize);
      this.running++;
      void this.runBatch(batch.map((p) => p.envelope))
        .then(
          () => batch.forEach((p) => p.resolve()),
          (err: unknown) => batch.forEach((p) => p.reject(new BatchFailed(err))),
        )
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
  }
}
