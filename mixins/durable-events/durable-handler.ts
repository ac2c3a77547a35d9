/**
 * Consumer side: turns a typed handler of one durable event into a channel
 * definition with at-least-once delivery, dedupe by event id per consumer
 * group, retries with backoff and a dead-letter channel `DLQ.<type>`.
 */
import type { Service } from "moleculer";
import type { DurableEnvelope, DurableEventName } from "./catalog";
import { deliveryCount } from "./delivery";
import { DLQ_HEADERS, deadLetterChannel, parseEnvelope } from "./envelope";
import { retryDelayMs } from "./backoff";
import { BatchFailed, HandlerBatcher } from "./batching";
import { advanceVersion, isOutboxDb, recordProcessed, recordProcessedMany, type OutboxDb } from "./outbox-store";
import { getRuntime, type DurableRuntime } from "./runtime";

export interface DurableHandlerOptions<N extends DurableEventName, S extends Service> {
  /** Consumer group: each group gets every event once; nodes in a group share the work. Defaults to the service's full name. */
  group?: string;
  /**
   * Events handled at once (per node; group-wide on JetStream). Default:
   * DURABLE_EVENTS_MAX_IN_FLIGHT. 1 handles one event at a time in arrival order.
   */
  maxInFlight?: number;
  /**
   * Per-key order (events the producer published with a `key`). `true`: of
   * the events of this type with one key, an older version is never applied
   * after a newer one (it is skipped as superseded), and events of one key
   * are handled one at a time on a node. A string names an ordering scope
   * shared by several handlers of the group, e.g. "follow" on both
   * channel.followed and channel.unfollowed. Needs a DB service (the applied
   * version commits with the handler's writes). Events without a key are
   * handled as if unordered.
   */
  ordered?: boolean | string;
  /**
   * Group commit (DB services): events of this handler in flight together
   * are handled in one transaction, up to `maxSize` (default 100) at a time.
   * For high-rate handlers whose effects are all in the service's database
   * (a sibling's failure rolls the batch back and every event of it runs
   * again on its own: nothing outside the database may happen twice).
   */
  batch?: boolean | { maxSize?: number };
  /** Handles one event (inside the transaction: its batch's, or its own). */
  handler?: (this: S, envelope: DurableEnvelope<N>) => Promise<void>;
  /**
   * Instead of `handler`, with `batch`: all new (not duplicate, not
   * superseded) events of a batch in one call, e.g. for one multi-row insert.
   */
  batchHandler?: (this: S, envelopes: Array<DurableEnvelope<N>>) => Promise<void>;
}

/** What the durable-events middleware reads off a channel definition (checks, DLQ depth, replay). */
export interface DurableChannelInfo {
  type: string;
  /** Ordering scope, when the handler is ordered. */
  scope?: string;
}

/** The channel definition @moleculer/channels reads from a service's `channels`. */
export interface DurableChannelDefinition {
  group?: string;
  maxInFlight?: number;
  deadLettering: { enabled: boolean; queueName?: string; exchangeName?: string };
  handler: (this: Service, message: unknown, raw: unknown) => Promise<void>;
  durable?: DurableChannelInfo;
}

export type DurableChannels = Record<string, DurableChannelDefinition>;

function replayGroupOf(runtime: DurableRuntime, raw: unknown): string | undefined {
  const headers = (raw ? runtime.adapter.parseMessageHeaders(raw) : null) as Record<string, unknown> | null;
  const value = headers?.[DLQ_HEADERS.replayGroup];
  return typeof value === "string" ? value : undefined;
}

/** Another delivery of this event is being handled right now; retry later. */
class EventBusyError extends Error {}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function durableHandler<N extends DurableEventName, S extends Service = Service>(
  type: N,
  opts: DurableHandlerOptions<N, S>,
): DurableChannels {
  const dlq = deadLetterChannel(type);
  const scope = opts.ordered === true ? type : opts.ordered || undefined;
  const apply = applier(type, opts);
  const batchMax = opts.batch === true ? DEFAULT_BATCH : opts.batch ? (opts.batch.maxSize ?? DEFAULT_BATCH) : 0;
  // One batcher per service instance (several brokers may run the same schema in one process).
  const batchers = new WeakMap<Service, HandlerBatcher>();
  const batcherOf = (svc: S, runtime: DurableRuntime, group: string): HandlerBatcher | undefined => {
    const db: unknown = (svc as { db?: unknown }).db;
    if (batchMax <= 0 || !isOutboxDb(db)) return undefined;
    let batcher = batchers.get(svc);
    if (!batcher) {
      batcher = new HandlerBatcher(
        (envelopes) => handleBatch(svc, db, runtime, group, scope, envelopes, apply),
        batchMax,
      );
      batchers.set(svc, batcher);
    }
    return batcher;
  };
  const definition: DurableChannelDefinition = {
    group: opts.group,
    maxInFlight: opts.maxInFlight,
    durable: { type, scope },
    // Per-type exchange on AMQP: the adapter's default is one fanout exchange for every dead letter.
    deadLettering: { enabled: true, queueName: dlq, exchangeName: dlq },
    async handler(this: Service, message: unknown, raw: unknown): Promise<void> {
      const runtime = getRuntime(this.broker);
      const group = opts.group ?? this.fullName;
      const parsed = parseEnvelope(message, type);
      if (!parsed.ok) {
        // Retrying cannot fix a malformed message: straight to the dead letters.
        this.logger.error(`Malformed '${type}' message for group '${group}' dead-lettered: ${parsed.reason}`);
        await runtime.publishRaw(dlq, message, {
          "x-original-channel": type,
          "x-original-group": group,
          "x-error": parsed.reason,
          [DLQ_HEADERS.attempts]: "1",
          [DLQ_HEADERS.deadAt]: new Date().toISOString(),
        });
        return;
      }
      const envelope = parsed.envelope as DurableEnvelope<N>;
      // A dead letter replayed by an operator is meant for the group that gave up on it; the others already handled it.
      const replayFor = replayGroupOf(runtime, raw);
      if (replayFor !== undefined && replayFor !== group) return;
      try {
        const alone = () => handleOnce(this as S, runtime, group, scope, envelope, apply);
        const batcher = batcherOf(this as S, runtime, group);
        const once = batcher
          ? () =>
              batcher.submit(envelope).catch((err: unknown) => {
                // The batch rolled back: this event gets its own transaction (and its own retries).
                if (err instanceof BatchFailed) return alone();
                throw err;
              })
          : alone;
        // One at a time per key on this node, so in-flight events of one key do not race each other.
        if (scope !== undefined && envelope.key !== undefined)
          await runtime.lanes.run(`${group}\u0000${scope}\u0000${envelope.producer}\u0000${envelope.key}`, once);
        else await once();
      } catch (err) {
        // Another delivery holds the event: not a failure of this one, just come back later.
        // Back off like a failure so the adapter's backstop limit is not reached while the holder works.
        if (err instanceof EventBusyError) {
          await sleep(retryDelayMs(deliveryCount(raw) ?? 1, runtime.tuning.retryBaseMs, runtime.tuning.retryMaxMs));
          throw err;
        }
        const deliveries = deliveryCount(raw) ?? (await runtime.dedupe.countFailure(group, envelope.id));
        const maxRetries = runtime.maxRetries;
        const reason = err instanceof Error ? err.message : String(err);
        if (deliveries >= maxRetries) {
          this.logger.error(
            `'${type}' ${envelope.id} failed ${deliveries} deliveries in group '${group}'; dead-lettering to '${dlq}'`,
            err,
          );
          // If this publish throws, the adapter redelivers and, past its backstop limit, dead-letters itself.
          await runtime.publishRaw(dlq, envelope, {
            "x-original-channel": type,
            "x-original-group": group,
            "x-error": reason.slice(0, 500),
            [DLQ_HEADERS.attempts]: String(deliveries),
            [DLQ_HEADERS.deadAt]: new Date().toISOString(),
            [DLQ_HEADERS.eventId]: envelope.id,
          });
          runtime.countDeadLetter(type, group);
          return;
        }
        this.logger.warn(
          `'${type}' ${envelope.id} failed in group '${group}' (delivery ${deliveries} of ${maxRetries}); will retry: ${reason}`,
        );
        // NATS and AMQP redeliver at once; wait here so a failing dependency gets breathing room.
        // (Redis redelivers after its claim idle time instead.)
        if (deliveryCount(raw) !== undefined)
          await sleep(retryDelayMs(deliveries, runtime.tuning.retryBaseMs, runtime.tuning.retryMaxMs));
        throw err;
      }
    },
  };
  return { [type]: definition };
}

async function handleOnce<N extends DurableEventName, S extends Service>(
  svc: S,
  runtime: DurableRuntime,
  group: string,
  scope: string | undefined,
  envelope: DurableEnvelope<N>,
  apply: Apply<N, S>,
): Promise<void> {
  const db: unknown = (svc as { db?: unknown }).db;
  if (isOutboxDb(db)) {
    // The processed mark (and the applied version) commit or roll back with the handler's own writes.
    await db.transaction(async () => {
      if (!(await recordProcessed(db, group, envelope.id))) return;
      if (scope !== undefined && !(await isCurrent(db, runtime, group, scope, envelope))) return;
      await apply(svc, [envelope]);
    });
    return;
  }
  if (scope !== undefined)
    throw new Error(`Ordered handler of '${envelope.type}' in group '${group}' needs a DB service`);
  const claim = await runtime.dedupe.claim(group, envelope.id);
  if (claim === "done") return;
  if (claim === "busy")
    throw new EventBusyError(`'${envelope.type}' ${envelope.id} is being handled by another delivery`);
  try {
    await apply(svc, [envelope]);
  } catch (err) {
    await runtime.dedupe.release(group, envelope.id);
    throw err;
  }
  await runtime.dedupe.complete(group, envelope.id);
}

/** One transaction for a batch: one dedupe insert for all, the version gate per event, then the handler. */
async function handleBatch<N extends DurableEventName, S extends Service>(
  svc: S,
  db: OutboxDb,
  runtime: DurableRuntime,
  group: string,
  scope: string | undefined,
  envelopes: DurableEnvelope[],
  apply: Apply<N, S>,
): Promise<void> {
  await db.transaction(async () => {
    const fresh = await recordProcessedMany(
      db,
      group,
      envelopes.map((e) => e.id),
    );
    const current: Array<DurableEnvelope<N>> = [];
    for (const envelope of envelopes) {
      // Each id once, even if the batch holds a duplicate delivery of it.
      if (!fresh.delete(envelope.id)) continue;
      if (scope !== undefined && !(await isCurrent(db, runtime, group, scope, envelope))) continue;
      current.push(envelope as DurableEnvelope<N>);
    }
    if (current.length > 0) await apply(svc, current);
  });
}

const DEFAULT_BATCH = 100;

type Apply<N extends DurableEventName, S extends Service> = (
  svc: S,
  envelopes: Array<DurableEnvelope<N>>,
) => Promise<void>;

/** The one way events reach the service's code: `batchHandler` with the batch, or `handler` one by one in order. */
function applier<N extends DurableEventName, S extends Service>(
  type: N,
  opts: DurableHandlerOptions<N, S>,
): Apply<N, S> {
  const { handler, batchHandler } = opts;
  if (batchHandler && handler) throw new TypeError(`durableHandler('${type}'): give handler or batchHandler, not both`);
  if (batchHandler) {
    if (!opts.batch) throw new TypeError(`durableHandler('${type}'): batchHandler needs batch`);
    return (svc, envelopes) => batchHandler.call(svc, envelopes);
  }
  if (!handler) throw new TypeError(`durableHandler('${type}'): a handler is required`);
  return async (svc, envelopes) => {
    for (const envelope of envelopes) await handler.call(svc, envelope);
  };
}

/** False (and counted) when a newer version of the event's key was already applied in this scope. */
async function isCurrent(
  db: OutboxDb,
  runtime: DurableRuntime,
  group: string,
  scope: string,
  envelope: DurableEnvelope,
): Promise<boolean> {
  if (envelope.key === undefined || envelope.version === undefined) return true;
  const slot = { group, scope, producer: envelope.producer, key: envelope.key };
  if (await advanceVersion(db, slot, envelope.version)) return true;
  runtime.countSuperseded(envelope.type, group);
  return false;
}

export interface DeadLetterOptions {
  group: string;
  handler: (this: Service, message: unknown, headers: Record<string, string>) => Promise<void>;
}

/**
 * Consumes `DLQ.<type>` (for operators' tooling and tests): the raw message
 * as it was when it failed, plus the adapter's headers (original group...).
 */
export function deadLetterHandler(type: DurableEventName, opts: DeadLetterOptions): DurableChannels {
  return {
    [deadLetterChannel(type)]: {
      group: opts.group,
      deadLettering: { enabled: false },
      async handler(this: Service, message: unknown, raw: unknown): Promise<void> {
        const adapter = getRuntime(this.broker).adapter;
        const headers = (adapter.parseMessageHeaders(raw) ?? {}) as Record<string, string>;
        await opts.handler.call(this, message, headers);
      },
    },
  };
}
