/**
 * Liveness: the server pings, a client that answers stays, a socket that
 * answers nothing (dead peer, half-open TCP) is closed after the idle timeout.
 */
import { connect as tcpConnect, type Socket as TcpSocket } from "node:net";
import { waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

/** Completes a WebSocket handshake by hand, then never reads frames or answers pings. */
async function silentSocket(port: number, accessToken: string): Promise<{ socket: TcpSocket; closed: () => boolean }> {
  const socket = tcpConnect(port, "127.0.0.1");
  let closed = false;
  let head = "";
  socket.on("close", () => (closed = true));
  socket.on("error", () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () =>
      socket.write(
        `GET /?access_token=${accessToken} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ),
    );
    const onData = (chunk: Buffer): void => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      if (head.startsWith("HTTP/1.1 101")) resolve();
      else reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
    };
    socket.on("data", onData);
  });
  // Keep the kernel buffer drained but never answer a ping.
  socket.on("data", () => undefined);
  return { socket, closed: () => closed };
}

describe("realtime liveness (ping/pong, idle sockets)", () => {
  let h: RealtimeHarness;

  beforeAll(async () => {
    h = await startRealtime({ idleTimeoutS: 8 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("closes a socket that answers no ping, and keeps one that does", async () => {
    const alive = await RealtimeClient.connect(h.url, { token: (await h.user("pinged")).token });
    let pings = 0;
    alive.ws.on("ping", () => pings++);
    const silent = await silentSocket(h.realtime.gateway.port, (await h.user("silent")).token);
    await waitFor(() => h.realtime.gateway.sockets.size === 2);
    const openedAt = Date.now();
    await waitFor(() => silent.closed(), { timeoutMs: 25000, what: "the silent socket to be closed" });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(4000);
    expect(pings).toBeGreaterThan(0);
    expect(alive.closed).toBeNull();
    await waitFor(() => h.realtime.gateway.sockets.size === 1);
    expect(await alive.reply(alive.send({ type: "ping" }))).toMatchObject({ type: "pong" });
    alive.close();
    silent.socket.destroy();
  }, 40000);
});
