/**
 * Cross-node fan-out of room frames. Every node that has members in a room
 * subscribes to the room; a frame is delivered locally only when it comes
 * back from the bus, so all sockets of a node (the sender's node included)
 * see one order per room, and each sender's order holds on every node. One
 * driver per file, chosen by config.
 */

export interface FanoutMessage {
  room: string;
  /** The serialized server frame, sent to sockets as is. */
  payload: string;
  /** Epoch ms at the publishing node, for the fan-out latency metric. */
  publishedAt: number;
}

export type FanoutHandler = (message: FanoutMessage) => void;

export interface RoomFanout {
  readonly driver: "local" | "nats";
  start(handler: FanoutHandler): Promise<void>;
  subscribe(room: string): void;
  unsubscribe(room: string): void;
  publish(room: string, payload: string): void;
  stop(): Promise<void>;
}

/** Wire form on the bus: "<publishedAt>\n<payload>", so a frame is never parsed twice. */
export function encodeFanout(payload: string, publishedAt: number): string {
  return `${publishedAt}\n${payload}`;
}

export function decodeFanout(room: string, data: string): FanoutMessage | null {
  const nl = data.indexOf("\n");
  if (nl <= 0) return null;
  const publishedAt = Number(data.slice(0, nl));
  if (!Number.isFinite(publishedAt)) return null;
  return { room, payload: data.slice(nl + 1), publishedAt };
}
