/**
 * Keep-alive and graceful shutdown of the gateway's HTTP server, done so a
 * client never has a request reset under it.
 *
 * Keep-alive: clients are told `Keep-Alive: timeout=<advertised>` but the
 * server keeps an idle connection open `KEEP_ALIVE_SLACK_MS` longer. A
 * client reuses a connection until its own idle timer says the advertised
 * time is (nearly) up; timers that fire late (undici's tick at half a second,
 * a busy event loop) made it write a request onto a connection the server
 * was closing at that very moment: the request failed with "other side
 * closed" (UND_ERR_SOCKET). With the slack, the server is never the first to
 * close an idle connection a client may still use. (Node 24 has the same
 * idea built in as `keepAliveTimeoutBuffer`.)
 *
 * Shutdown (`beginDrain` on SIGTERM, `finishDrain` when the service stops):
 * stop accepting connections (the port is free for the next process), answer
 * every request still arriving on an open connection with `Connection: close`
 * (the client opens a new connection for the next one), let requests in
 * flight finish, and close idle connections only once the client can no
 * longer be about to reuse them (idle past the advertised timeout), or at the
 * grace deadline. Node's own `server.close()` closes idle connections at once,
 * racing requests a client is sending on them at that moment.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

export const KEEP_ALIVE_SLACK_MS = 5000;

interface SocketState {
  inFlight: number;
  idleSince: number;
}

export class HttpDrain {
  private readonly sockets = new Map<Socket, SocketState>();
  private draining = false;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    private readonly advertisedKeepAliveMs: number,
  ) {
    server.keepAliveTimeout = advertisedKeepAliveMs + KEEP_ALIVE_SLACK_MS;
    // Headers of a request must be allowed to arrive on a connection kept that long.
    server.headersTimeout = Math.max(server.headersTimeout, server.keepAliveTimeout + 1000);
    server.on("connection", (socket: Socket) => {
      this.sockets.set(socket, { inFlight: 0, idleSince: Date.now() });
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Called for every request before it is handled. */
  track(req: IncomingMessage, res: ServerResponse): void {
    const state = this.sockets.get(req.socket);
    // Node adds `Keep-Alive: timeout=<keepAliveTimeout>` unless one is set: advertise the shorter time.
    if (this.draining) res.setHeader("Connection", "close");
    else res.setHeader("Keep-Alive", `timeout=${Math.floor(this.advertisedKeepAliveMs / 1000)}`);
    if (!state) return;
    state.inFlight += 1;
    res.once("close", () => {
      state.inFlight -= 1;
      state.idleSince = Date.now();
    });
  }

  /**
   * For a request answered synchronously (fast-path.ts: the response is ended before the handler
   * returns, so nothing is in flight): the connection's idle time starts now. True while draining,
   * when the answer must carry `Connection: close` instead of the advertised keep-alive.
   */
  answeredNow(req: IncomingMessage): boolean {
    const state = this.sockets.get(req.socket);
    if (state) state.idleSince = Date.now();
    return this.draining;
  }

  /** Header pair of an answer that keeps its connection open (see `track`). */
  get keepAliveHeader(): readonly [string, string] {
    return ["Keep-Alive", `timeout=${Math.floor(this.advertisedKeepAliveMs / 1000)}`];
  }

  /** Stops accepting connections; requests on open ones are still served, each closing its connection. */
  beginDrain(): void {
    if (this.draining) return;
    this.draining = true;
    if (!this.server.listening) return;
    // net.Server's close, not http.Server's: the latter also drops idle keep-alive connections at once.
    this.closed = new Promise<void>((resolve) => NetServer.prototype.close.call(this.server, () => resolve()));
  }

  /** Resolves once every connection is closed: in-flight requests done, idle ones past reuse, or the grace is over. */
  async finishDrain(graceMs: number): Promise<void> {
    this.beginDrain();
    const deadline = Date.now() + graceMs;
    while (this.sockets.size > 0 && Date.now() < deadline) {
      const now = Date.now();
      for (const [socket, state] of this.sockets) {
        if (state.inFlight === 0 && now - state.idleSince >= this.advertisedKeepAliveMs) socket.destroy();
      }
      if (this.sockets.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const socket of this.sockets.keys()) socket.destroy();
    await this.closed;
  }
}
