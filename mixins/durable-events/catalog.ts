/**
 * The one typed map of durable domain event name → payload.
 *
 * It starts empty on purpose: each service declares the events it produces
 * from its own folder by declaration merging, so the catalog grows with the
 * services and this file never becomes a shared edit point:
 *
 *   declare module "../../../mixins/durable-events/catalog" {
 *     interface DurableEventMap { "user.registered": UserRegistered }
 *   }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DurableEventMap {}

export type DurableEventName = keyof DurableEventMap;

/** What travels on the wire: the payload plus what a consumer needs to dedupe and trace it. */
export interface DurableEnvelope<N extends DurableEventName = DurableEventName> {
  /** Unique per event (UUID); consumers dedupe on it, so redeliveries are harmless. */
  id: string;
  type: N;
  /** ISO-8601 time the producer decided the event happened (not when it was relayed). */
  occurredAt: string;
  /** Full name of the producing service. */
  producer: string;
  payload: DurableEventMap[N];
  /**
   * Ordering key the producer gave (`publishDurable(type, payload, { key })`):
   * the entity the event is about, e.g. `channel:<id>`. Events of one key
   * from one producer carry increasing versions in commit order.
   */
  key?: string;
  /** Per-key version (the outbox sequence); set with `key`. Ordered handlers never apply an older one after a newer one. */
  version?: number;
}
