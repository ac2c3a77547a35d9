/**
 * A typed WebSocket client for realtime specs (and the e2e suite): keeps
 * every server frame (batched arrays unpacked), waits by polling, and
 * records how the socket closed.
 */
import WebSocket from "ws";
import { waitFor } from "../../../helpers/infra";

export interface Frame {
  type: string;
  [key: string]: unknown;
}

export interface ConnectOptions {
  token?: string;
  origin?: string;
  /** Put the token in the query string instead of Sec-WebSocket-Protocol. */
  tokenInQuery?: boolean;
}

export class RealtimeClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  private cidCounter = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const parsed = JSON.parse(data.toString()) as Frame | Frame[];
      for (const f of Array.isArray(parsed) ? parsed : [parsed]) this.frames.push(f);
    });
    ws.on("close", (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on("error", () => undefined);
  }

  static async connect(url: string, options: ConnectOptions = {}): Promise<RealtimeClient> {
    const protocols = ["arena.v1"];
    let target = url;
    if (options.token && options.tokenInQuery) target = `${url}?access_token=${encodeURIComponent(options.token)}`;
    else if (options.token) protocols.push(`bearer.${options.token}`);
    const ws = new WebSocket(target, protocols, { headers: options.origin ? { origin: options.origin } : {} });
    const client = new RealtimeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("unexpected-response", (req, res) => {
        // With this listener ws leaves the HTTP exchange to us: drop it, or its socket keeps the process alive.
        res.resume();
        req.destroy();
        reject(new Error(`upgrade refused: ${res.statusCode}`));
      });
      ws.once("error", reject);
    });
    await client.waitFor((f) => f.type === "welcome");
    return client;
  }

  /** Connects and expects the upgrade to be refused; returns the HTTP status. */
  static async refused(url: string, options: ConnectOptions = {}): Promise<number> {
    try {
      await RealtimeClient.connect(url, options);
    } catch (err) {
      const m = /upgrade refused: (\d+)/.exec((err as Error).message);
      if (m) return Number(m[1]);
      throw err;
    }
    throw new Error("upgrade was accepted");
  }

  send(frame: Record<string, unknown>): string {
    const cid = (frame.cid as string | undefined) ?? `c${++this.cidCounter}`;
    this.ws.send(JSON.stringify({ ...frame, cid }));
    return cid;
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The reply (ack or error) to a frame sent with this cid. */
  async reply(cid: string, timeoutMs = 10000): Promise<Frame> {
    return this.waitFor((f) => f.cid === cid && ["ack", "error", "joined", "left", "pong"].includes(f.type), timeoutMs);
  }

  async join(room: string): Promise<Frame> {
    const reply = await this.reply(this.send({ type: "join", room }));
    if (reply.type !== "joined") throw new Error(`join ${room} failed: ${JSON.stringify(reply)}`);
    return reply;
  }

  async say(room: string, text: string): Promise<Frame> {
    return this.reply(this.send({ type: "send", room, text }));
  }

  async waitFor(predicate: (f: Frame) => boolean, timeoutMs = 10000): Promise<Frame> {
    return waitFor(() => this.frames.find(predicate), { timeoutMs, intervalMs: 10, what: "a matching frame" });
  }

  messages(room: string): Frame[] {
    return this.frames.filter((f) => f.type === "msg" && f.room === room);
  }

  async waitClosed(timeoutMs = 10000): Promise<{ code: number; reason: string }> {
    return waitFor(() => this.closed, { timeoutMs, intervalMs: 10, what: "socket close" });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close();
  }
}
