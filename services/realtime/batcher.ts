/**
 * Coalesces frames per room for a short window, then publishes them to the
 * room's uWS topic as one WebSocket message (a JSON array when more than
 * one). At 100 messages/s into a room of 10k sockets this turns a million
 * sends per second into a few thousand.
 */
export type PublishLocal = (room: string, payload: string) => void;

export class RoomBatcher {
  private readonly pending = new Map<string, string[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly publishLocal: PublishLocal, private readonly windowMs: number) {}

  push(room: string, payload: string): void {
    if (this.windowMs <= 0) return this.publishLocal(room, payload);
    const list = this.pending.get(room);
    if (list) list.push(payload);
    else this.pending.set(room, [payload]);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const [room, payloads] of this.pending) {
      this.publishLocal(room, payloads.length === 1 ? (payloads[0] as string) : `[${payloads.join(",")}]`);
    }
    this.pending.clear();
  }
}
