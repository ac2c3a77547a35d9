import type { Middleware } from "moleculer";
import type { ArenaConfig } from "../config";
import { DurableEventsMiddleware } from "../../mixins/durable-events/middleware";

/**
 * Broker middlewares every node gets. The durable-events middleware
 * (@moleculer/channels, adapter picked from DURABLE_EVENTS_URL) is here so
 * any service can declare `channels` and use DurableEventsMixin.
 */
export function platformMiddlewares(config: ArenaConfig): Middleware[] {
  return [DurableEventsMiddleware(config)];
}
