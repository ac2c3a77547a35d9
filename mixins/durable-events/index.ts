/**
 * Durable domain events: the public surface services use.
 *
 *   mixins: [DbMixin({ ..., migrations: [own, DURABLE_EVENTS_MIGRATIONS] }), DurableEventsMixin()],
 *   channels: { ...durableHandler("user.registered", { async handler(envelope) { ... } }) },
 *   await this.db.transaction(async () => { ...writes...; await this.publishDurable("user.registered", payload); });
 *
 * See docs/durable-events.md for the guarantees.
 */
import type { Service, ServiceSchema } from "moleculer";
import type { DurableEventMap, DurableEventName } from "./catalog";
import { createEnvelope } from "./envelope";
import { InProcessAdapter } from "./in-process-adapter";
import { reportOutboxBacklog } from "./outbox-metrics";
import { OutboxRelay } from "./outbox-relay";
import { insertOutbox, isOutboxDb, type OutboxDb } from "./outbox-store";
import { getRuntime } from "./runtime";
import { trackCommits } from "./commit-tracker";

export type { DurableEnvelope, DurableEventMap, DurableEventName } from "./catalog";
export { DURABLE_EVENTS_MIGRATIONS, type MigrationSet, type OutboxDb } from "./outbox-store";
export { durableHandler } from "./durable-handler";
export { deadLetterHandler } from "./dead-letter-handler";
export type { DurableChannels, DurableChannelDefinition, DurableHandlerOptions } from "./durable-channel-types";
export { DurableEventsMiddleware } from "./middleware";
export { deadLetterChannel } from "./envelope";
export type { DurableEventsTuning } from "./tuning";

export interface PublishOptions {
  /**
   * Ordering key: the entity the event is about (`channel:<id>`,
   * `video:<id>`...). Events of one key get increasing versions in commit
   * order, which ordered handlers use to never apply an older one after a
   * newer one. Needs a DB service (the version is the outbox sequence).
   */
  key?: string;
}

/** What DurableEventsMixin adds to a service's `this`. */
export interface DurableEventsMethods {
  /**
   * Publishes a durable event; resolves with its id. On a DB service the
   * event goes through the outbox (inside `this.db.transaction` it commits or
   * rolls back with the transaction); otherwise straight to the adapter.
   */
  publishDurable<N extends DurableEventName>(
    type: N,
    payload: DurableEventMap[N],
    options?: PublishOptions,
  ): Promise<string>;
  /** Relays this service's pending outbox rows now (tests; operators). Resolves with how many were published. */
  relayOutbox(): Promise<number>;
}

export type DurableServiceThis = Service & DurableEventsMethods;

/** Per-service relay, kept out of the service object itself. */
const relays = new WeakMap<Service, OutboxRelay>();

function serviceDb(svc: Service): OutboxDb | undefined {
  const db: unknown = (svc as { db?: unknown }).db;
  return isOutboxDb(db) ? db : undefined;
}

function relayOf(svc: Service): OutboxRelay {
  let relay = relays.get(svc);
  if (!relay) {
    const runtime = getRuntime(svc.broker);
    relay = new OutboxRelay({
      db: () => serviceDb(svc),
      publish: (envelope) => runtime.publish(envelope),
      isReady: () => runtime.isReady(),
      logger: svc.logger,
      intervalMs: runtime.tuning.relayIntervalMs,
      batchSize: runtime.tuning.relayBatchSize,
      keepMs: runtime.tuning.processedTtlMs,
      concurrent: !(runtime.adapter instanceof InProcessAdapter),
      onBacklog: (backlog) => reportOutboxBacklog(svc.broker, serviceDb(svc)?.schema ?? svc.name, backlog),
    });
    relays.set(svc, relay);
  }
  return relay;
}

export function DurableEventsMixin(): Partial<ServiceSchema> {
  return {
    methods: {
      async publishDurable<N extends DurableEventName>(
        this: Service,
        type: N,
        payload: DurableEventMap[N],
        options: PublishOptions = {},
      ): Promise<string> {
        const runtime = getRuntime(this.broker);
        const envelope = createEnvelope(type, payload, this.fullName, new Date(), options.key);
        const db = serviceDb(this);
        if (!db) {
          if (options.key !== undefined)
            throw new Error(`publishDurable('${type}') with a key needs a DB service: versions come from the outbox`);
          await runtime.publish(envelope);
          return envelope.id;
        }
        await insertOutbox(db, envelope);
        const tracker = trackCommits.current();
        if (tracker) {
          // Inside a transaction: relay once it commits (never if it rolls back).
          tracker.onCommit(() => {
            if (runtime.tuning.relayAfterCommit) void relayOf(this).kick();
          });
        } else if (runtime.tuning.relayAfterCommit) {
          void relayOf(this).kick();
        }
        return envelope.id;
      },

      relayOutbox(this: Service): Promise<number> {
        return relayOf(this).kick();
      },
    },

    created(this: Service) {
      // Whenever DbMixin sets `this.db` (before or after this hook), wrap its
      // transaction() so publishDurable knows when the surrounding
      // transaction commits: after-commit relaying without DbMixin's help.
      trackCommits.install(this);
      // Created now so the relay's async scope is the service's, not a caller's.
      relayOf(this);
    },

    async started(this: Service) {
      // Services without a database publish directly: nothing to relay.
      if (!serviceDb(this)) return;
      const runtime = getRuntime(this.broker);
      const relay = relayOf(this);
      if (runtime.tuning.relaySweep) relay.startSweeping();
      // Rows left by a crash are relayed as soon as the adapter is up
      // (it connects after every local service has started).
      runtime
        .whenReady()
        .then(() => (runtime.tuning.relaySweep ? relay.kick() : 0))
        .catch((err: unknown) =>
          this.logger.warn(
            "Durable events adapter not ready; outbox sweep will retry",
            err instanceof Error ? err.message : err,
          ),
        );
    },

    async stopped(this: Service) {
      await relays.get(this)?.stop();
      relays.delete(this);
    },
  };
}
