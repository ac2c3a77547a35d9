/**
 * How a delivered durable event reaches the service's code at most once per
 * consumer group: deduped by event id, skipped as superseded when an ordered
 * key already has a newer version, and (on a DB service) inside the
 * transaction that commits the service's own writes. One event at a time or
 * a group-committed batch; durable-handler.ts decides which and retries.
 */
import type { Service } from "moleculer";
import type { DurableEnvelope, DurableEventName } from "./catalog";
import type { DurableHandlerOptions } from "./durable-channel-types";
import { advanceVersion, isOutboxDb, recordProcessed, recordProcessedMany, type OutboxDb } from "./outbox-store";
import type { DurableRuntime } from "./runtime";

/** Another delivery of this event is being handled right now; retry later. */
export class EventBusyError extends Error {}

/** One event on its own: in the service's transaction (DB service), else claimed in the dedupe store. */
export async function handleOnce<N extends DurableEventName, S extends Service>(
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
export async function handleBatch<N extends DurableEventName, S extends Service>(
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

export type Apply<N extends DurableEventName, S extends Service> = (
  svc: S,
  envelopes: Array<DurableEnvelope<N>>,
) => Promise<void>;

/** The one way events reach the service's code: `batchHandler` with the batch, or `handler` one by one in order. */
export function applier<N extends DurableEventName, S extends Service>(
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
