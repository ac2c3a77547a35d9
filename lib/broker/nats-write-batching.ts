/**
 * One socket write per turn of the event loop for everything a node sends
 * over NATS, instead of one per callback.
 *
 * nats.js buffers outgoing commands and writes them in a microtask after the
 * first one. A gateway node handles each HTTP request in its own socket
 * callback, so every request became its own write to NATS (a syscall that
 * also does the loopback delivery: about a tenth of an api node's CPU on the
 * cluster by-id read, issue 19), and the core node received the requests one
 * small read at a time, which kept its database batches small too. Flushing
 * in `setImmediate` instead gathers every command sent by the callbacks of
 * one poll phase (all the sockets that were ready together) into one write;
 * at low load it costs the few microseconds until the check phase.
 *
 * This replaces nats.js's internal `sendCommand` on one connection, so it
 * checks the shape it relies on and leaves the connection alone (returning
 * false) if a nats.js upgrade changed it: the spec fails then, not the node.
 */
import type { NatsConnection } from "nats";

interface OutboundBuffer {
  fill(data: Uint8Array, ...payloads: Uint8Array[]): void;
  size(): number;
}

interface ProtocolInternals {
  outbound: OutboundBuffer;
  pendingLimit: number;
  sendCommand(cmd: string | Uint8Array, ...payloads: Uint8Array[]): void;
  flushPending(): void;
}

const encoder = new TextEncoder();

/** Makes `client` flush once per turn of the event loop; false when nats.js's internals are not the ones known. */
export function batchWritesPerTurn(client: NatsConnection): boolean {
  const protocol = (client as unknown as { protocol?: Partial<ProtocolInternals> }).protocol;
  if (
    !protocol ||
    typeof protocol.sendCommand !== "function" ||
    typeof protocol.flushPending !== "function" ||
    typeof protocol.pendingLimit !== "number" ||
    typeof protocol.outbound?.fill !== "function" ||
    typeof protocol.outbound.size !== "function"
  )
    return false;
  const p = protocol as ProtocolInternals;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    p.flushPending();
  };
  p.sendCommand = (cmd, ...payloads) => {
    p.outbound.fill(typeof cmd === "string" ? encoder.encode(cmd) : cmd, ...payloads);
    // As nats.js does: a full buffer goes out at once.
    if (p.outbound.size() >= p.pendingLimit) p.flushPending();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return true;
}
