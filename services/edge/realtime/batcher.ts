/**
 * Coalesces frames per room, then publishes them to the room's uWS topic as
 * one WebSocket message (a JSON array when more than one). Leading edge: a
 * frame into a room that has not published within the window goes out at
 * once, so quiet rooms get no added latency; under load frames wait at most
 * one window. At 100 messages/s into 10k sockets this divides the number of
 * WebSocket frames (and client wake-ups) by the batch size.
 */
export type PublishLocal = (room: string, payload: string) => void;

export class RoomBatcher {
  private readonly pending = new Map<string, string[]>();
  private readonly lastFlushAt = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publishLocal: PublishLocal,
    private readonly windowMs: number,
  ) {}

  push(room: string, payload: string): void {
    if (this.windowMs <= 0) return this.publishLocal(room, payload);
    const list = this.pending.get(room);
    if (list) {
      list.push(payload);
      return;
    }
    const now = Date.now();
    const last = this.lastFlushAt.get(room) ?? 0;
    if (now - last >= this.windowMs) {
      this.lastFlushAt.set(room, now);
      this.publishLocal(room, payload);
      return;
    }
    this.pending.set(room, [payload]);
    this.timer ??= setTimeout(() => this.flush(), Math.max(1, last + this.windowMs - now));
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    for (const [room, payloads] of this.pending) {
      this.lastFlushAt.set(room, now);
      this.publishLocal(room, payloads.length === 1 ? (payloads[0] as string) : `[${payloads.join(",")}]`);
    }
    this.pending.clear();
    // Forget rooms idle for long so the map does not grow with every room ever seen.
    if (this.lastFlushAt.size > 10000)
      for (const [room, at] of this.lastFlushAt) if (now - at > 60000) this.lastFlushAt.delete(room);
  }
}
