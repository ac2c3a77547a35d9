/**
 * Clustered mode: room frames travel on core NATS subjects
 * `<namespace>.chat.<room>`. A NATS server keeps one publisher's order for
 * every subscriber, but messages of two publishers (two nodes) may reach two
 * subscribers interleaved differently (each publisher's connection fans out
 * on its own): one order per node, each sender's order everywhere
 * (docs/realtime-protocol.md). Core NATS (not JetStream): fan-out is
 * ephemeral, history durability is the chat service's job.
 */
import { connect, StringCodec, type NatsConnection, type Subscription } from "nats";
import { decodeFanout, encodeFanout, type FanoutHandler, type RoomFanout } from "./fanout";

export interface NatsFanoutOptions {
  url: string;
  namespace: string;
  name: string;
  onError?: (err: Error) => void;
}

export class NatsFanout implements RoomFanout {
  readonly driver = "nats" as const;
  private nc: NatsConnection | undefined;
  private handler: FanoutHandler | undefined;
  private readonly subs = new Map<string, Subscription>();
  private readonly codec = StringCodec();

  constructor(private readonly options: NatsFanoutOptions) {}

  subject(room: string): string {
    return `${this.options.namespace}.chat.${room}`;
  }

  async start(handler: FanoutHandler): Promise<void> {
    this.handler = handler;
    this.nc = await connect({
      servers: this.options.url,
      name: this.options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10000,
    });
    void this.watchStatus(this.nc);
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === "error") this.options.onError?.(new Error(`NATS fan-out: ${String(status.data)}`));
    }
  }

  subscribe(room: string): void {
    if (!this.nc || this.subs.has(room)) return;
    const sub = this.nc.subscribe(this.subject(room), {
      // Callback mode: no async iterator per room, messages handled in arrival order.
      callback: (err, msg) => {
        if (err) return this.options.onError?.(err);
        const message = decodeFanout(room, this.codec.decode(msg.data));
        if (message) this.handler?.(message);
      },
    });
    this.subs.set(room, sub);
  }

  unsubscribe(room: string): void {
    this.subs.get(room)?.unsubscribe();
    this.subs.delete(room);
  }

  publish(room: string, payload: string): void {
    if (!this.nc) throw new Error("NATS fan-out used before start()");
    this.nc.publish(this.subject(room), this.codec.encode(encodeFanout(payload, Date.now())));
  }

  async stop(): Promise<void> {
    this.subs.clear();
    const nc = this.nc;
    this.nc = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }
}
