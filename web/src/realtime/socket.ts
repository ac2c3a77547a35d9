import { signal } from "@preact/signals";
import { accessTokenNow, currentUser, onTokenChange, refresh } from "../api/session";
import { config } from "../config";
import { nextDelay, type ServerFrame } from "./protocol";

/**
 * One WebSocket per tab (docs/realtime-protocol.md, arena.v1), opened while
 * a page holds a room or a topic. It rejoins everything after a reconnect
 * (exponential backoff with jitter), re-authenticates in place when the
 * access token is refreshed (`auth` frame), and reconnects when the user
 * changes. `request` sends a frame with a cid and settles on its ack/error.
 */
export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting";

export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

type Listener = (frame: ServerFrame) => void;
interface Pending {
  resolve(frame: ServerFrame): void;
  reject(err: RealtimeError): void;
  timer: ReturnType<typeof setTimeout>;
}

const REQUEST_TIMEOUT_MS = 10_000;

class RealtimeConnection {
  readonly state = signal<ConnectionState>("idle");
  private ws: WebSocket | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private cidSeq = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly rooms = new Map<string, Set<Listener>>();
  private readonly topics = new Map<string, Set<Listener>>();
  private readonly globalListeners = new Set<Listener>();
  private socketUserId: string | null = null;
  private holders = 0;

  constructor() {
    onTokenChange((token) => this.tokenChanged(token));
    window.addEventListener("online", () => {
      if (this.state.value === "reconnecting") this.connectNow();
    });
  }

  /** Joins a chat room (channel id); frames for it go to `listener`. Returns the leave function. */
  joinRoom(room: string, listener: Listener): () => void {
    let set = this.rooms.get(room);
    const first = !set;
    if (!set) this.rooms.set(room, (set = new Set()));
    set.add(listener);
    if (first && this.ws?.readyState === WebSocket.OPEN) this.sendRaw({ type: "join", room });
    this.ensureOpen();
    return () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.rooms.delete(room);
      if (this.ws?.readyState === WebSocket.OPEN) this.sendRaw({ type: "leave", room });
      this.closeIfUnused();
    };
  }

  /** Follows a public topic (`<kind>:<id>`). Returns the unsubscribe function. */
  subscribe(topic: string, listener: Listener): () => void {
    let set = this.topics.get(topic);
    const first = !set;
    if (!set) this.topics.set(topic, (set = new Set()));
    set.add(listener);
    if (first && this.ws?.readyState === WebSocket.OPEN) this.sendRaw({ type: "subscribe", topic });
    this.ensureOpen();
    return () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.topics.delete(topic);
      if (this.ws?.readyState === WebSocket.OPEN) this.sendRaw({ type: "unsubscribe", topic });
      this.closeIfUnused();
    };
  }

  /**
   * Keeps the socket open with no room or topic (a signed-in tab, for its
   * notifications: the server closes only anonymous idle sockets). Returns
   * the release function.
   */
  hold(): () => void {
    this.holders++;
    this.ensureOpen();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders--;
      this.closeIfUnused();
    };
  }

  /** Frames not tied to a room or topic (notifications, welcome). */
  onFrame(listener: Listener): () => void {
    this.globalListeners.add(listener);
    return () => this.globalListeners.delete(listener);
  }

  /** Sends a frame and waits for its ack (or rejects with the server's error code). */
  request(frame: Record<string, unknown>): Promise<ServerFrame> {
    if (this.ws?.readyState !== WebSocket.OPEN)
      return Promise.reject(new RealtimeError("OFFLINE", "Not connected; reconnecting…"));
    const cid = `c${++this.cidSeq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(cid);
        reject(new RealtimeError("TIMEOUT", "No answer from the server"));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(cid, { resolve, reject, timer });
      this.sendRaw({ ...frame, cid });
    });
  }

  /** Reconnects now instead of waiting for the backoff (the "retry" button). */
  connectNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.ws) this.open();
  }

  private used(): boolean {
    return this.rooms.size > 0 || this.topics.size > 0 || this.holders > 0;
  }

  private ensureOpen(): void {
    if (!this.ws && this.retryTimer === undefined) this.open();
  }

  private closeIfUnused(): void {
    if (this.used()) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    ws?.close(1000);
    this.state.value = "idle";
  }

  private open(): void {
    const token = accessTokenNow();
    this.socketUserId = currentUser.value?.id ?? null;
    this.state.value = this.attempt === 0 ? "connecting" : "reconnecting";
    const protocols = token ? ["arena.v1", `bearer.${token}`] : ["arena.v1"];
    let ws: WebSocket;
    try {
      ws = new WebSocket(config.realtimeUrl, protocols);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.state.value = "open";
      for (const room of this.rooms.keys()) this.sendRaw({ type: "join", room });
      for (const topic of this.topics.keys()) this.sendRaw({ type: "subscribe", topic });
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      let parsed: ServerFrame | ServerFrame[];
      try {
        parsed = JSON.parse(e.data) as ServerFrame | ServerFrame[];
      } catch {
        return;
      }
      for (const frame of Array.isArray(parsed) ? parsed : [parsed]) this.dispatch(frame);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.failPending();
      if (!this.used()) {
        this.state.value = "idle";
        return;
      }
      // 4003: the token expired under us; 4004: session revoked. Either way a refresh decides who we are.
      if (e.code === 4003 || e.code === 4004) void refresh().finally(() => this.scheduleReconnect());
      else this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    this.state.value = "reconnecting";
    const delay = nextDelay(this.attempt++);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.used() && !this.ws) this.open();
    }, delay);
  }

  private failPending(): void {
    for (const [cid, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new RealtimeError("DISCONNECTED", "Connection lost"));
      this.pending.delete(cid);
    }
  }

  private dispatch(frame: ServerFrame): void {
    const cid = "cid" in frame ? frame.cid : undefined;
    if (cid && (frame.type === "ack" || frame.type === "error")) {
      const p = this.pending.get(cid);
      if (p) {
        this.pending.delete(cid);
        clearTimeout(p.timer);
        if (frame.type === "ack") p.resolve(frame);
        else p.reject(new RealtimeError(frame.code, frame.message, frame.retryAfterMs));
        return;
      }
    }
    const room = "room" in frame && typeof frame.room === "string" ? frame.room : undefined;
    const topic = "topic" in frame && typeof frame.topic === "string" ? frame.topic : undefined;
    const targets = room ? this.rooms.get(room) : topic ? this.topics.get(topic) : undefined;
    for (const listener of targets ?? []) listener(frame);
    if (!room && !topic) for (const listener of this.globalListeners) listener(frame);
  }

  private sendRaw(frame: Record<string, unknown>): void {
    this.ws?.send(JSON.stringify(frame));
  }

  private tokenChanged(token: string | undefined): void {
    const userId = currentUser.value?.id ?? null;
    if (!this.ws) return;
    if (userId !== this.socketUserId) {
      // Logged in or out: the socket's identity is fixed at connect time.
      const ws = this.ws;
      this.ws = undefined;
      ws.close(1000);
      this.failPending();
      this.attempt = 0;
      if (this.used()) this.open();
      return;
    }
    if (token && this.ws.readyState === WebSocket.OPEN) this.request({ type: "auth", token }).catch(() => undefined);
  }
}

export const realtime = new RealtimeConnection();
