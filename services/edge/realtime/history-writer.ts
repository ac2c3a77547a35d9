/**
 * Buffers accepted chat messages and hands them to the chat service in
 * batches. A message's promise resolves only once its batch is stored, and
 * the gateway acknowledges the client only then: whatever was acknowledged
 * survives a realtime node restart. A failing store is retried with backoff
 * while the buffer stays bounded.
 */
import type { ContextParentSpan } from "moleculer";
import type { ChatMessage } from "./protocol";

/** `trace`: the span of the batch's oldest traced message, so its trace reaches the chat store's span. */
export type PersistBatch = (messages: ChatMessage[], trace?: ContextParentSpan) => Promise<void>;

export interface HistoryWriterOptions {
  flushMs: number;
  maxBatch: number;
  maxBuffered: number;
  onError: (err: Error) => void;
}

interface Pending {
  message: ChatMessage;
  trace?: ContextParentSpan;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class HistoryWriter {
  private buffer: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly persist: PersistBatch,
    private readonly options: HistoryWriterOptions,
  ) {}

  append(message: ChatMessage, trace?: ContextParentSpan): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("history writer stopped"));
    if (this.buffer.length >= this.options.maxBuffered) return Promise.reject(new Error("history buffer full"));
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ message, trace, resolve, reject });
      if (this.buffer.length >= this.options.maxBatch) void this.flushNow();
      else this.schedule(this.options.flushMs);
    });
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flushNow();
    }, delayMs);
  }

  /** Stores everything buffered so far (used before a delete, so the message exists). */
  async flushNow(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.buffer.splice(0, this.options.maxBatch);
    try {
      await this.persist(
        batch.map((p) => p.message),
        batch.find((p) => p.trace)?.trace,
      );
      this.failures = 0;
      for (const p of batch) p.resolve();
    } catch (err) {
      this.failures++;
      this.options.onError(err as Error);
      // Put the batch back in front, keeping order, and retry later.
      this.buffer.unshift(...batch);
      if (this.stopped) throw err;
      this.schedule(Math.min(5000, 100 * 2 ** Math.min(this.failures, 6)));
      return;
    }
    if (this.buffer.length > 0) this.schedule(this.buffer.length >= this.options.maxBatch ? 0 : this.options.flushMs);
  }

  /** Final flush at shutdown; messages that still cannot be stored are rejected (never acknowledged). */
  async stop(attempts = 3): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (let i = 0; i < attempts && this.buffer.length > 0; i++) {
      try {
        await this.flushNow();
      } catch {
        // retried below
      }
    }
    this.stopped = true;
    const left = this.buffer.splice(0);
    for (const p of left) p.reject(new Error("history writer stopped"));
  }

  /** False while the buffer is full (the chat store is down) or after stop: refuse messages before they are fanned out. */
  get accepting(): boolean {
    return !this.stopped && this.buffer.length < this.options.maxBuffered;
  }

  get buffered(): number {
    return this.buffer.length;
  }
}
