/** Embedded mode: one process, so the "bus" is a microtask queue preserving publish order. */
import type { FanoutHandler, RoomFanout } from "./fanout";

export class LocalFanout implements RoomFanout {
  readonly driver = "local" as const;
  private handler: FanoutHandler | undefined;
  private readonly rooms = new Set<string>();

  async start(handler: FanoutHandler): Promise<void> {
    this.handler = handler;
  }

  subscribe(room: string): void {
    this.rooms.add(room);
  }

  unsubscribe(room: string): void {
    this.rooms.delete(room);
  }

  publish(room: string, payload: string): void {
    const publishedAt = Date.now();
    // Asynchronous like the NATS driver, so callers never depend on synchronous delivery.
    queueMicrotask(() => {
      if (this.rooms.has(room)) this.handler?.({ room, payload, publishedAt });
    });
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    this.rooms.clear();
  }
}
