/**
 * The typed map of plain (non-durable) Moleculer events: ephemeral signals
 * such as viewer counts, cache invalidation, presence and moderation changes.
 * Durable domain events have their own map (mixins/durable-events/catalog).
 *
 * Each service declares the plain events it emits in its `<name>.events.ts`:
 *
 *   declare module "../../../lib/contracts/events" {
 *     interface PlainEventMap { "chat.message.deleted": ChatMessageDeleted }
 *   }
 *
 * Emitters use `broadcastEvent` / `emitEvent`; listeners use `onEvent`, so a
 * renamed event or a changed payload fails the typecheck on both sides.
 */
import type { ActionParams, Context, ServiceBroker, ServiceEvent } from "moleculer";

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PlainEventMap {}

export type PlainEventName = keyof PlainEventMap;

type Broadcaster = Pick<ServiceBroker, "broadcast" | "emit"> | Pick<Context, "broadcast" | "emit">;

/** Every node's listeners of `name` get the payload (local ones included). */
export function broadcastEvent<N extends PlainEventName>(
  from: Broadcaster,
  name: N,
  payload: PlainEventMap[N],
  groups?: string | string[],
): Promise<void> {
  return groups ? from.broadcast(name, payload, { groups }) : from.broadcast(name, payload);
}

/** One listener per group (service) gets the payload: load-balanced. */
export function emitEvent<N extends PlainEventName>(
  from: Broadcaster,
  name: N,
  payload: PlainEventMap[N],
  groups?: string | string[],
): Promise<void> {
  return groups ? from.emit(name, payload, { groups }) : from.emit(name, payload);
}

export interface OnEventOptions {
  /**
   * Validates the payload before the handler runs (the event may come from
   * another node, or another version of the emitter): an invalid one is
   * dropped with a logged validation error.
   */
  params?: ActionParams;
  /** Listen as this group instead of the service name (emitEvent load-balances per group). */
  group?: string;
}

/**
 * A typed listener, spread into a service's `events` block:
 * `events: { ...onEvent("x.y", function (payload) { ... }) }`.
 */
export function onEvent<N extends PlainEventName, This>(
  name: N,
  handler: (this: This, payload: PlainEventMap[N], ctx: Context<PlainEventMap[N]>) => void | Promise<void>,
  opts: OnEventOptions = {},
): Record<N, ServiceEvent> {
  const event: ServiceEvent = {
    ...(opts.params ? { params: opts.params } : {}),
    ...(opts.group ? { group: opts.group } : {}),
    handler(this: This, ctx: Context<PlainEventMap[N]>) {
      return handler.call(this, ctx.params, ctx);
    },
  };
  return { [name]: event } as Record<N, ServiceEvent>;
}
