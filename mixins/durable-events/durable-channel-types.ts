/**
 * The shapes at the boundary of a durable consumer: the options a service
 * gives durableHandler(), and the channel definition it gets back, which
 * @moleculer/channels, the middleware's checks and the events CLI read.
 * Kept apart from the handler so those readers need only the shape.
 */
import type { Service } from "moleculer";
import type { DurableEnvelope, DurableEventName } from "./catalog";

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
