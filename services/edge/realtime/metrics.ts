/**
 * Realtime metrics, in the broker's registry (Prometheus endpoint) and in a
 * plain local snapshot the `realtime.stats` action returns.
 */
import type { ServiceBroker } from "moleculer";

export interface RealtimeStats {
  connections: number;
  rooms: number;
  messagesIn: number;
  messagesOut: number;
  drops: number;
  backpressureCloses: number;
  /** Last observed cross-node fan-out latency (publish to local delivery), ms. */
  fanoutLatencyMs: number;
}

const M = {
  connections: "arena.realtime.connections",
  rooms: "arena.realtime.rooms",
  messagesIn: "arena.realtime.messages.in",
  messagesOut: "arena.realtime.messages.out",
  drops: "arena.realtime.drops",
  backpressureCloses: "arena.realtime.backpressure.closes",
  fanoutLatency: "arena.realtime.fanout.latency",
} as const;

export class RealtimeMetrics {
  readonly stats: RealtimeStats = {
    connections: 0,
    rooms: 0,
    messagesIn: 0,
    messagesOut: 0,
    drops: 0,
    backpressureCloses: 0,
    fanoutLatencyMs: 0,
  };
  private readonly enabled: boolean;

  constructor(private readonly broker: ServiceBroker) {
    this.enabled = broker.isMetricsEnabled();
    if (!this.enabled) return;
    const reg = broker.metrics;
    reg.register({ name: M.connections, type: "gauge", description: "Open WebSocket connections" });
    reg.register({ name: M.rooms, type: "gauge", description: "Rooms with members on this node" });
    reg.register({ name: M.messagesIn, type: "counter", description: "Chat messages accepted from clients" });
    reg.register({ name: M.messagesOut, type: "counter", description: "Frames delivered to sockets" });
    reg.register({ name: M.drops, type: "counter", description: "Frames dropped because of backpressure" });
    reg.register({ name: M.backpressureCloses, type: "counter", description: "Sockets closed as slow consumers" });
    reg.register({
      name: M.fanoutLatency,
      type: "histogram",
      unit: "millisecond",
      description: "Publish to local delivery latency",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000],
    });
    // Every series exists from boot: a rate() alert must see the first drop, and dashboards show 0, not "no data".
    reg.set(M.connections, 0);
    reg.set(M.rooms, 0);
    for (const counter of [M.messagesIn, M.messagesOut, M.drops, M.backpressureCloses])
      reg.increment(counter, undefined, 0);
  }

  setConnections(n: number): void {
    this.stats.connections = n;
    if (this.enabled) this.broker.metrics.set(M.connections, n);
  }

  setRooms(n: number): void {
    this.stats.rooms = n;
    if (this.enabled) this.broker.metrics.set(M.rooms, n);
  }

  messageIn(): void {
    this.stats.messagesIn++;
    if (this.enabled) this.broker.metrics.increment(M.messagesIn);
  }

  messagesOut(n: number): void {
    this.stats.messagesOut += n;
    if (this.enabled && n > 0) this.broker.metrics.increment(M.messagesOut, undefined, n);
  }

  drop(): void {
    this.stats.drops++;
    if (this.enabled) this.broker.metrics.increment(M.drops);
  }

  backpressureClose(): void {
    this.stats.backpressureCloses++;
    if (this.enabled) this.broker.metrics.increment(M.backpressureCloses);
  }

  fanoutLatency(ms: number): void {
    this.stats.fanoutLatencyMs = ms;
    if (this.enabled) this.broker.metrics.observe(M.fanoutLatency, ms);
  }
}
