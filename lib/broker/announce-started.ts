/**
 * Closes the discovery window of a node that just started.
 *
 * Why: Moleculer 0.14 tells the other nodes about a node's services in an INFO
 * packet debounced by a second after the last service registers (or in answer
 * to its first heartbeat), so for about a second after `broker.start()`
 * resolved the others did not know its event listeners: a broadcast sent then
 * (`cache.invalidated`, which drops the gateway's response copies) never
 * reached it. Once every service has started, this sends the node's INFO to all
 * nodes at once, then pings the nodes it knows and waits for their pongs. A
 * node handles INFO synchronously and NATS delivers one publisher's packets in
 * order, so a node's pong means it has registered this node's actions and
 * listeners: when `start()` resolves, every node that answered broadcasts to
 * it. A node that does not answer within `pongTimeoutMs` delays the start by
 * that much at most and learns of this node from the INFO or a heartbeat.
 */
import type { Middleware, ServiceBroker } from "moleculer";

/** How long the start waits for the known nodes' pongs (ms); a healthy node answers within milliseconds. */
export const ANNOUNCE_PONG_TIMEOUT_MS = 2000;

/** The registry internals used here (the 0.14 typings leave them out). */
interface RegistryInternals {
  discoverer: { sendLocalNodeInfo(nodeID?: string): Promise<unknown> };
  getNodeList(opts: { onlyAvailable: boolean }): { id: string; local: boolean }[];
}

/** Sends this node's INFO to all nodes and resolves once the nodes it knows have handled it (or the timeout). */
export async function announceStarted(broker: ServiceBroker, pongTimeoutMs = ANNOUNCE_PONG_TIMEOUT_MS): Promise<void> {
  if (!broker.transit?.connected) return;
  const registry = broker.registry as unknown as RegistryInternals;
  await registry.discoverer.sendLocalNodeInfo();
  const others = registry
    .getNodeList({ onlyAvailable: true })
    .filter((node) => !node.local)
    .map((node) => node.id);
  // Moleculer's ping of an empty list waits for the whole timeout.
  if (others.length > 0) await broker.ping(others, pongTimeoutMs);
}

export function AnnounceStartedMiddleware(pongTimeoutMs = ANNOUNCE_PONG_TIMEOUT_MS): Middleware {
  return {
    started(broker: ServiceBroker): Promise<void> {
      return announceStarted(broker, pongTimeoutMs);
    },
  };
}
