/**
 * Consumer side: turns a typed handler of one durable event into a channel
 * definition with at-least-once delivery, dedupe by event id per consumer
 * group, retries with backoff and a dead-letter channel `DLQ.<type>`.
 * This file decides what happens to a delivery (dead-letter, retry, lane,
 * batch); idempotent-apply.ts runs the handler at most once per group.
 */
import type { Service } from "moleculer";
import type { DurableEnvelope, DurableEventName } from "./catalog";
import { deliveryCount } from "./delivery";
import type { DurableChannelDefinition, DurableChannels, DurableHandlerOptions } from "./durable-channel-types";
import { DLQ_HEADERS, deadLetterChannel, parseEnvelope } from "./envelope";
import { retryDelayMs } from "./backoff";
import { BatchFailed, HandlerBatcher } from "./batching";
import { EventBusyError, applier, handleBatch, handleOnce } from "./idempotent-apply";
import { isOutboxDb } from "./outbox-store";
import { getRuntime, type DurableRuntime } from "./runtime";

function replayGroupOf(runtime: DurableRuntime, raw: unknown): string | undefined {
  const headers = (raw ? runtime.adapter.parseMessageHeaders(raw) : null) as Record<string, unknown> | null;
  const value = headers?.[DLQ_HEADERS.replayGroup];
  return typeof value === "string" ? value : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const DEFAULT_BATCH = 100;

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
