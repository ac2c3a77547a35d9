import type { Socket } from "./socket-data";

/** Which public topics each socket follows (kept off the socket, gone with it). */
export class TopicSubscriptions {
  private readonly bySocket = new WeakMap<Socket, Set<string>>();

  of(ws: Socket): Set<string> {
    let topics = this.bySocket.get(ws);
    if (!topics) this.bySocket.set(ws, (topics = new Set()));
    return topics;
  }

  count(ws: Socket): number {
    return this.bySocket.get(ws)?.size ?? 0;
  }
}
