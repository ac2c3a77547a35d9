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
import { randomUUID } from "node:crypto";
import { openDeadLetterStore } from "./dead-letters/open";
import type { DeadLetterStore } from "./dead-letters/store";
import { DLQ_HEADERS } from "./envelope";
import { KeyLanes } from "./key-lanes";
import type { DurableEventsTuning } from "./tuning";

type BaseAdapter = InstanceType<typeof Adapters.Base>;

/** How long a publish waits for the adapter to connect before failing (broker still starting). */
const READY_TIMEOUT_MS = 30_000;

export const DEAD_LETTER_METRIC = "arena.durable_events.dead_lettered.total";
export const SUPERSEDED_METRIC = "arena.durable_events.superseded.total";
export const DEAD_LETTER_DEPTH_METRIC = "arena.durable_events.dead_letters";

export class DurableRuntime {
  readonly dedupe: DedupeStore;
  /** Per-key lanes of ordered handlers on this node. */
  readonly lanes = new KeyLanes();
  /** Durable event types consumed on this node, with their groups (dead-letter depth, operators' commands). */
  readonly consumed = new Map<string, Set<string>>();
  private deadLetterStore?: Promise<DeadLetterStore>;
  private depthTimer?: NodeJS.Timeout;
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

  /** Records a durableHandler of this node (the middleware calls it for each service's channels). */
  addConsumer(type: string, group: string): void {
    let groups = this.consumed.get(type);
    if (!groups) this.consumed.set(type, (groups = new Set()));
    groups.add(group);
  }

  /** This broker's dead-letter store (opened once, closed with the runtime). */
  deadLetters(): Promise<DeadLetterStore> {
    if (!this.deadLetterStore) {
      this.deadLetterStore = openDeadLetterStore(this);
      // A failed open is retried on the next call.
      this.deadLetterStore.catch(() => (this.deadLetterStore = undefined));
    }
    return this.deadLetterStore;
  }

  /**
   * Publishes a dead letter's event again for one group only: every group of
   * the type receives it, the others skip it (they handled it already). A
   * fresh JetStream msgID, or its duplicate window would drop the replay.
   */
  async replay(envelope: DurableEnvelope, group: string): Promise<void> {
    await this.whenReady();
    const subject = this.adapter.addPrefixTopic(envelope.type);
    const headers = { [DLQ_HEADERS.replayGroup]: group };
    // Typed as the base adapter: the JetStream adapter converts plain headers itself.
    const adapter: BaseAdapter = this.adapter;
    if (adapter instanceof Adapters.NATS) {
      await this.ensureNatsStream(subject);
      await this.adapter.publish(subject, envelope, { headers, msgID: randomUUID() });
      return;
    }
    await adapter.publish(subject, envelope, {
      headers,
      correlationId: envelope.id,
      xaddMaxLen: `~${REDIS_STREAM_MAX_LEN}`,
    });
  }

  /**
   * Keeps the dead-letter depth gauge of the types consumed here current
   * (one store query per type per interval); off without metrics.
   */
  startDeadLetterGauge(): void {
    if (!this.broker.isMetricsEnabled() || this.tuning.deadLetterGaugeMs <= 0 || this.depthTimer) return;
    const tick = () =>
      void this.refreshDeadLetterGauge().catch((err: unknown) =>
        this.broker.logger.debug("Dead-letter depth not refreshed", err instanceof Error ? err.message : err),
      );
    tick();
    this.depthTimer = setInterval(tick, this.tuning.deadLetterGaugeMs);
    this.depthTimer.unref();
  }

  /** Sets `arena.durable_events.dead_letters{type}` for every type consumed on this node. */
  async refreshDeadLetterGauge(): Promise<void> {
    if (!this.broker.isMetricsEnabled() || !this.isReady()) return;
    if (!this.broker.metrics.getMetric(DEAD_LETTER_DEPTH_METRIC)) {
      this.broker.metrics.register({
        type: "gauge",
        name: DEAD_LETTER_DEPTH_METRIC,
        labelNames: ["type"],
        description: "Dead letters waiting in DLQ.<type> (replay or drop them: npm run events -- dlq)",
      });
    }
    const store = await this.deadLetters();
    for (const type of this.consumed.keys())
      this.broker.metrics.set(DEAD_LETTER_DEPTH_METRIC, await store.depth(type), { type });
  }

  countSuperseded(type: string, group: string): void {
    if (this.broker.isMetricsEnabled()) this.broker.metrics.increment(SUPERSEDED_METRIC, { type, group });
  }

  async close(): Promise<void> {
    this.ready = false;
    if (this.depthTimer) clearInterval(this.depthTimer);
    this.depthTimer = undefined;
    const store = this.deadLetterStore;
    this.deadLetterStore = undefined;
    await store?.then((s) => s.close()).catch(() => undefined);
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
