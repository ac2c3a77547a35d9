import type { Middleware } from "moleculer";
import type { ArenaConfig } from "../lib/config";
import { DurableEventsMiddleware } from "../mixins/durable-events/middleware";
import { RequestContextMiddleware } from "../lib/logging/request-context";
import type { DurableEventsTuning } from "../mixins/durable-events/tuning";
import { SafeBulkheadMiddleware } from "../lib/broker/bulkhead";
import { FailoverGuardMiddleware } from "../lib/broker/failover-guard";
import { UnsharedParamsMiddleware } from "../lib/broker/unshared-params";
import { AnnounceStartedMiddleware } from "../lib/broker/announce-started";

/** Per action (and per event handler) on each node: 20 running, 200 waiting, then QueueIsFull (503). */
export const BULKHEAD = { concurrency: 20, maxQueueSize: 200 };

/**
 * Broker middlewares every node gets. The durable-events middleware
 * (@moleculer/channels, adapter picked from DURABLE_EVENTS_URL) is here so
 * any service can declare `channels` and use DurableEventsMixin. The bulkhead
 * is ours (see ./bulkhead.ts), not Moleculer's. The request-context one puts
 * request and trace ids on every log line. The failover guard keeps the
 * retry policy from repeating calls that may have run already (see
 * lib/broker/failover-guard.ts). Unshared params keep every declared field
 * visible to the other nodes (see lib/broker/unshared-params.ts). Announce-started makes the
 * other nodes know this node's listeners before start() resolves (see lib/broker/announce-started.ts).
 * Tests pass shorter durable timings but keep the same list.
 */
export function platformMiddlewares(
  config: ArenaConfig,
  durableTuning: Partial<DurableEventsTuning> = {},
): Middleware[] {
  return [
    RequestContextMiddleware(),
    DurableEventsMiddleware(config, durableTuning),
    SafeBulkheadMiddleware(BULKHEAD),
    FailoverGuardMiddleware,
    UnsharedParamsMiddleware,
    AnnounceStartedMiddleware(),
  ];
}
