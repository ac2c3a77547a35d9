/**
 * Per-broker state of durable events: the channels adapter, the dedupe store
 * and "is the adapter connected yet". The middleware creates it; the mixin
 * and durableHandler find it by broker, so services never read config or
 * adapters themselves and tests can run several brokers in one process.
 */
import { Adapters } from "@moleculer/channels";
import type { ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../lib/config";
import type { DurableEnvelope } from "./catalog";
import { NATS_MAX_AGE_NS, REDIS_STREAM_MAX_LEN } from "./adapter-factory";
import { MemoryDedupeStore, RedisDedupeStore, type DedupeStore } from "./dedupe-store";
import { KeyLanes } from "./key-lanes";
import type { DurableEventsTuning } from "./tuning";

type BaseAdapter = InstanceType<typeof Adapters.Base>;

/** How long a publish waits for the adapter to connect before failing (broker still starting). */
const READY_TIMEOUT_MS = 30_000;

export const DEAD_LETTER_METRIC = "arena.durable_events.dead_lettered.total";
export const SUPERSEDED_METRIC = "arena.durable_events.superseded.total";

export class DurableRuntime {
  readonly dedupe: DedupeStore;
  /** Per-key lanes of ordered handlers on this node. */
  readonly lanes = new KeyLanes();
  private ready = false;
  private readonly readyWaiters: Array<() => void> = [];
  private readonly natsStreams = new Set<string>();

  constructor(
    readonly broker: ServiceBroker,
    readonly adapter: BaseAdapter,
    readonly config: ArenaConfig,
    readonly tuning: DurableEventsTuning,
  ) {
    this.dedupe = config.redisUrl
      ? new RedisDedupeStore(
          config.redisUrl,
          config.namespace,
          tuning.claimTtlMs,
          tuning.processedTtlMs,
          config.redisCommandTimeoutMs,
        )
      : new MemoryDedupeStore(tuning.claimTtlMs, tuning.processedTtlMs);
    if (broker.isMetricsEnabled() && !broker.metrics.getMetric(DEAD_LETTER_METRIC)) {
      broker.metrics.register({
        type: "counter",
        name: DEAD_LETTER_METRIC,
        labelNames: ["type", "group"],
        description: "Durable events given up on after maxRetries deliveries",
      });
    }
    if (broker.isMetricsEnabled() && !broker.metrics.getMetric(SUPERSEDED_METRIC)) {
      broker.metrics.register({
        type: "counter",
        name: SUPERSEDED_METRIC,
        labelNames: ["type", "group"],
        description: "Ordered durable events skipped because a newer version of their key was already applied",
      });
    }
  }

  get maxRetries(): number {
    return this.config.durableEvents.maxRetries;
  }

  isReady(): boolean {
    return this.ready && this.adapter.connected;
  }

  markReady(): void {
    this.ready = true;
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  markStopping(): void {
    this.ready = false;
  }

  /** Resolves once the adapter is connected (it connects after all local services have started). */
  whenReady(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("Durable events adapter not connected in time")), timeoutMs);
      // A broker that never starts must not keep the process alive for this.
      timer.unref();
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Publishes one envelope on its channel. Throws if it was not accepted, so
   * the outbox keeps the row for the next attempt.
   */
  async publish(envelope: DurableEnvelope, channel: string = envelope.type): Promise<void> {
    await this.whenReady();
    // The stock adapters silently drop publishes while disconnecting; that
    // would let the outbox mark a row published that never left.
    if (!this.isReady()) throw new Error("Durable events adapter is stopping");
    const subject = this.adapter.addPrefixTopic(channel);
    if (this.adapter instanceof Adapters.NATS) {
      await this.ensureNatsStream(subject);
      // JetStream drops a second publish with the same msgID within its
      // duplicate window: a relay that crashed after publish but before
      // marking the row costs nothing downstream.
      await this.adapter.publish(subject, envelope, { msgID: envelope.id });
      return;
    }
    await this.adapter.publish(subject, envelope, {
      correlationId: envelope.id,
      xaddMaxLen: `~${REDIS_STREAM_MAX_LEN}`,
    });
  }

  /** Publishes a message as is (dead-lettering a malformed one). */
  async publishRaw(channel: string, message: unknown, headers: Record<string, string>): Promise<void> {
    await this.whenReady();
    const subject = this.adapter.addPrefixTopic(channel);
    await this.ensureNatsStream(subject);
    await this.adapter.publish(subject, message, { headers });
  }

  /**
   * JetStream only stores subjects some stream captures, and the adapter
   * creates streams only when a consumer subscribes; publishing first would
   * fail. Same stream name/subject the adapter would create.
   */
  private async ensureNatsStream(subject: string): Promise<void> {
    if (this.natsStreams.has(subject)) return;
    if (!(this.adapter instanceof Adapters.NATS)) return;
    try {
      await this.adapter.manager.streams.add({
        name: subject.split(".").join("_"),
        subjects: [subject],
        max_age: NATS_MAX_AGE_NS,
      });
    } catch (err) {
      // Created meanwhile by a subscriber (maybe with other limits): fine, it captures the subject.
      if (!(err instanceof Error) || !err.message.includes("already in use")) throw err;
    }
    this.natsStreams.add(subject);
  }

  /** Counted here (not only in the adapters' metric) because durableHandler does the dead-lettering. */
  countDeadLetter(type: string, group: string): void {
    if (this.broker.isMetricsEnabled()) this.broker.metrics.increment(DEAD_LETTER_METRIC, { type, group });
  }

  countSuperseded(type: string, group: string): void {
    if (this.broker.isMetricsEnabled()) this.broker.metrics.increment(SUPERSEDED_METRIC, { type, group });
  }

  async close(): Promise<void> {
    this.ready = false;
    await this.dedupe.close();
  }
}

const runtimes = new WeakMap<ServiceBroker, DurableRuntime>();

export function registerRuntime(broker: ServiceBroker, runtime: DurableRuntime): void {
  runtimes.set(broker, runtime);
}

export function getRuntime(broker: ServiceBroker): DurableRuntime {
  const runtime = runtimes.get(broker);
  if (!runtime) {
    throw new Error(
      "Durable events are not set up on this broker: build it with buildBrokerOptions() (platformMiddlewares adds DurableEventsMiddleware)",
    );
  }
  return runtime;
}
