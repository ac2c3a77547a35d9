/**
 * The gateway's connection handling, over raw sockets so every byte and
 * every close is visible: idle keep-alive connections outlive the timeout
 * they advertise (a client whose timer fires a little late must not write
 * onto a connection being closed: UND_ERR_SOCKET), and a shutdown drains
 * (no new connections, requests on open ones answered with
 * `Connection: close`, in-flight ones finished) instead of cutting
 * connections under requests.
 */
import { connect, type Socket } from "node:net";
import type { Context, ServiceSchema } from "moleculer";
import { testConfig, waitFor } from "../../../helpers/infra";
import { startGateway, type Gateway } from "./gateway-harness";
import type { RouteTable } from "../../../../services/edge/api/route-table";

const TABLE: RouteTable = {
  routes: [
    { method: "GET", path: "/slow", action: "slowpoke.wait", auth: "none", summary: "Answers after a while" },
    { method: "GET", path: "/fast", action: "slowpoke.now", auth: "none", summary: "Answers at once" },
  ],
};

/** Releases the slow request in flight (set by the action when it starts). */
const slow: { release?: () => void } = {};
const releaseSlow = (): void => slow.release?.();
const SlowService: ServiceSchema = {
  name: "slowpoke",
  actions: {
    wait: {
      params: {},
      handler: (_ctx: Context) => new Promise((resolve) => (slow.release = () => resolve({ waited: true }))),
    },
    now: { params: {}, handler: () => ({ now: true }) },
  },
};

/** One HTTP/1.1 connection; `get` sends a request and resolves with the raw response head and body. */
class RawConnection {
  private buffer = "";
  private waiters: Array<() => void> = [];
  closed = false;
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on("close", () => {
      this.closed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on("error", () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  async get(path: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nAccept: application/json\r\n\r\n`);
    for (;;) {
      const head = this.buffer.indexOf("\r\n\r\n");
      if (head >= 0) {
        const lines = this.buffer.slice(0, head).split("\r\n");
        const headers = Object.fromEntries(
          lines.slice(1).map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
        );
        const length = Number(headers["content-length"] ?? 0);
        if (this.buffer.length >= head + 4 + length) {
          const body = this.buffer.slice(head + 4, head + 4 + length);
          this.buffer = this.buffer.slice(head + 4 + length);
          return { status: Number(lines[0].split(" ")[1]), headers, body };
        }
      }
      if (this.closed) throw new Error(`connection closed before a response (got ${JSON.stringify(this.buffer)})`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

describe("gateway connections: keep-alive and draining", () => {
  let gw: Gateway;
  let port: number;
  const KEEP_ALIVE_MS = 1000;

  beforeAll(async () => {
    gw = await startGateway(await testConfig(), {
      tables: [TABLE],
      withTestService: false,
      extraServices: [SlowService],
      settings: { keepAliveMs: KEEP_ALIVE_MS },
    });
    port = gw.api.boundPort();
  });
  afterAll(() => gw?.stop());

  it("keeps an idle connection open past the keep-alive timeout it advertises", async () => {
    const conn = await RawConnection.open(port);
    const first = await conn.get("/api/v1/fast");
    expect(first.status).toBe(200);
    expect(first.headers["keep-alive"]).toBe("timeout=1");
    // A client timer firing half a second late: the server (Node's default closes at exactly the
    // advertised time) must still take the request rather than close the connection under it.
    await new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_MS + 500));
    expect(conn.closed).toBe(false);
    expect((await conn.get("/api/v1/fast")).status).toBe(200);
    conn.socket.destroy();
  });

  it("drains on shutdown: refuses new connections, answers requests on open ones with Connection: close, finishes in-flight ones", async () => {
    const busy = await RawConnection.open(port);
    const idle = await RawConnection.open(port);
    expect((await idle.get("/api/v1/fast")).status).toBe(200);
    slow.release = undefined;
    const inFlight = busy.get("/api/v1/slow");
    await waitFor(() => slow.release !== undefined, { what: "slow request in flight" });

    gw.api.onShutdownSignal();
    // No new connections...
    await expect(RawConnection.open(port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    // ...readiness says so on the connections still open...
    const ready = await idle.get("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.headers.connection).toBe("close");
    await waitFor(() => idle.closed, { what: "server closes the idle connection after its answer" });

    // ...the broker stops meanwhile, and the request in flight still gets its answer.
    const stopped = gw.broker.stop();
    releaseSlow();
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body)).toEqual({ waited: true });
    await stopped;
    expect(busy.closed).toBe(true);
  });
});
