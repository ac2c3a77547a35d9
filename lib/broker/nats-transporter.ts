/**
 * Moleculer's NATS transporter, plus what it needs to survive faults quickly:
 *
 * - A dead peer is noticed at once, not after the heartbeat timeout. Every
 *   packet sent to one node carries a reply subject; when nothing subscribes
 *   to that node's subject any more (its process died, its NATS connection
 *   dropped), the NATS server answers "no responders" (status 503) right
 *   away. The request that hit it never reached anyone, so it fails with a
 *   retryable PeerUnreachableError (the retry goes to another node), and the
 *   node is removed from the registry, which releases the calls still in
 *   flight to it. A call that is still pending after `probeAfterMs` gets its
 *   node probed (a PING carries the same reply subject), so a node that died
 *   while handling the only call made to it is found just as fast.
 * - The NATS connection's own state is tracked (the stock v2 transporter only
 *   notices a closed connection): while disconnected, `connected` is false
 *   (readiness fails, calls to other nodes fail fast with
 *   BrokerDisconnectedError instead of waiting for their timeout), the calls
 *   in flight are released, and heartbeat checks pause; on reconnect the node
 *   announces itself again.
 * - Writes go out once per turn of the event loop (nats-write-batching.ts).
 */
import { Errors, Transporters, type ServiceBroker, type Transit } from "moleculer";
import { createInbox, type Msg, type NatsConnection } from "nats";
import { batchWritesPerTurn } from "./nats-write-batching";

/** A request sent to a node that no longer listens: it was never delivered, so any call may be retried elsewhere. */
export class PeerUnreachableError extends Errors.MoleculerRetryableError {
  constructor(nodeID: string, action?: string) {
    super(`Node '${nodeID}' is unreachable`, 503, "PEER_UNREACHABLE", { nodeID, action });
    this.name = "PeerUnreachableError";
  }
}

/** Default of `probeAfterMs`: a call pending this long gets its node probed. */
export const PROBE_AFTER_MS = 1000;

export interface ArenaNatsOptions {
  url: string;
  /** Probe the node of a call still pending after this long (ms). */
  probeAfterMs?: number;
  /** NATS client ping interval (ms): how soon a silent connection loss is noticed (2 missed pings). */
  pingIntervalMs?: number;
  [option: string]: unknown;
}

interface PendingRequest {
  nodeID: string;
  action?: { name?: string };
  reject(err: Error): void;
}

interface TransitInternals {
  connected: boolean;
  pendingRequests: Map<string, PendingRequest>;
  removePendingRequest(id: string): void;
  removePendingRequestByNodeID(nodeID: string): void;
  sendPing(nodeID: string): Promise<unknown>;
  discoverer: { remoteNodeDisconnected(nodeID: string, unexpected: boolean): void };
}

interface OutgoingPacket {
  type: string;
  target?: string | null;
  payload?: { id?: string };
}

/** Packet types worth a reply subject: the ones sent to one node. */
const TARGETED = new Set(["REQ", "EVENT", "PING"]);

export class ArenaNatsTransporter extends Transporters.NATS {
  declare broker: ServiceBroker;
  declare transit: Transit;
  declare logger: ServiceBroker["logger"];
  declare connected: boolean;
  declare client: NatsConnection | null;

  private inbox: string | undefined;
  /** Node ids are not valid subject tokens (dots), so reply subjects carry a short token per node. */
  private readonly nodeTokens = new Map<string, string>();
  private readonly tokenNodes = new Map<string, string>();
  /** When each request in flight was sent, for the probe of slow ones. */
  private readonly sentAt = new Map<string, number>();
  private readonly probedAt = new Map<string, number>();
  private watchdog: NodeJS.Timeout | undefined;
  private readonly probeAfterMs: number;

  constructor(options: ArenaNatsOptions) {
    const { probeAfterMs, pingIntervalMs, ...nats } = options;
    const ping = pingIntervalMs ?? 2000;
    super({ ...nats, pingInterval: ping, maxPingOut: 2, maxReconnectAttempts: -1 });
    this.probeAfterMs = probeAfterMs ?? PROBE_AFTER_MS;
  }

  private get internals(): TransitInternals {
    return this.transit as unknown as TransitInternals;
  }

  override async connect(): Promise<unknown> {
    const result = await super.connect();
    if (this.client) {
      if (!batchWritesPerTurn(this.client))
        this.logger.warn("nats.js internals changed: writes are not batched per turn");
      void this.watchConnection(this.client);
    }
    return result;
  }

  override async makeSubscriptions(topics: Record<string, unknown>[]): Promise<void> {
    // Before the first packet goes out: answers to its reply subject must have a listener.
    this.listenForNoResponders();
    await super.makeSubscriptions(topics);
    this.startWatchdog();
  }

  override async disconnect(): Promise<unknown> {
    clearInterval(this.watchdog);
    this.watchdog = undefined;
    return super.disconnect();
  }

  override send(topic: string, data: Buffer, meta: { packet?: OutgoingPacket }): Promise<void> {
    const packet = meta?.packet;
    const target = packet?.target;
    if (!this.client || !this.inbox || !packet || !target || !TARGETED.has(packet.type)) {
      return super.send(topic, data, meta);
    }
    const id = packet.type === "REQ" ? packet.payload?.id : undefined;
    if (id) this.sentAt.set(id, Date.now());
    // Request ids are uuids (valid subject tokens); anything else gets a placeholder.
    const token = id && /^[\w-]+$/.test(id) ? id : "_";
    this.client.publish(topic, data, { reply: `${this.inbox}.${this.tokenFor(target)}.${token}` });
    return Promise.resolve();
  }

  private tokenFor(nodeID: string): string {
    let token = this.nodeTokens.get(nodeID);
    if (!token) {
      token = `n${this.nodeTokens.size}`;
      this.nodeTokens.set(nodeID, token);
      this.tokenNodes.set(token, nodeID);
    }
    return token;
  }

  private listenForNoResponders(): void {
    if (!this.client || this.inbox) return;
    this.inbox = createInbox();
    this.client.subscribe(`${this.inbox}.>`, {
      callback: (_err, msg: Msg) => {
        // Only the server writes here, and only to say nobody listens on the subject.
        if (msg.headers?.code !== 503) return;
        const [, nodeToken, requestId] = msg.subject.slice(this.inbox?.length ?? 0).split(".");
        const nodeID = nodeToken ? this.tokenNodes.get(nodeToken) : undefined;
        if (nodeID) this.peerUnreachable(nodeID, requestId && requestId !== "_" ? requestId : undefined);
      },
    });
  }

  private peerUnreachable(nodeID: string, requestId: string | undefined): void {
    const transit = this.internals;
    if (requestId) {
      const pending = transit.pendingRequests.get(requestId);
      if (pending) {
        transit.removePendingRequest(requestId);
        pending.reject(new PeerUnreachableError(nodeID, pending.action?.name));
      }
    }
    const node = this.broker.registry.nodes.get(nodeID);
    if (!node || node.local || !node.available) return;
    this.logger.warn(`Node '${nodeID}' no longer listens on NATS: removing it now (no heartbeat timeout wait).`);
    // Releases the calls still in flight to it (RequestRejectedError) and drops its services.
    transit.discoverer.remoteNodeDisconnected(nodeID, true);
  }

  /** Probes the nodes of calls pending for longer than probeAfterMs (at most one probe per node per interval). */
  private startWatchdog(): void {
    if (this.watchdog) return;
    const interval = Math.max(100, Math.floor(this.probeAfterMs / 2));
    this.watchdog = setInterval(() => {
      const transit = this.internals;
      const now = Date.now();
      const slowNodes = new Set<string>();
      for (const [id, sent] of this.sentAt) {
        const pending = transit.pendingRequests.get(id);
        if (!pending) this.sentAt.delete(id);
        else if (now - sent >= this.probeAfterMs) slowNodes.add(pending.nodeID);
      }
      if (!this.connected) return;
      for (const nodeID of slowNodes) {
        if (now - (this.probedAt.get(nodeID) ?? 0) < this.probeAfterMs) continue;
        this.probedAt.set(nodeID, now);
        transit.sendPing(nodeID).catch(() => undefined);
      }
    }, interval);
    this.watchdog.unref();
  }

  private async watchConnection(client: NatsConnection): Promise<void> {
    for await (const status of client.status()) {
      if (status.type === "disconnect") this.lostConnection();
      else if (status.type === "reconnect") await this.regainedConnection();
    }
  }

  private lostConnection(): void {
    if (!this.connected) return;
    this.logger.warn("NATS connection lost: calls to other nodes fail fast until it is back.");
    this.connected = false;
    this.internals.connected = false;
    // Pauses heartbeat checks: remote nodes are not dead, we are cut off.
    this.broker.broadcastLocal("$transporter.disconnected", { graceFul: false });
    // Their answers may never come: release the callers now (retried when idempotent).
    const nodes = new Set([...this.internals.pendingRequests.values()].map((p) => p.nodeID));
    for (const nodeID of nodes) this.internals.removePendingRequestByNodeID(nodeID);
  }

  private async regainedConnection(): Promise<void> {
    this.logger.info("NATS connection back: announcing this node again.");
    // Sets `connected`, re-sends INFO, rediscovers the nodes, restarts heartbeats.
    await this.onConnected(true);
  }
}
