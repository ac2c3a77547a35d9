/**
 * The RTMP listener against clients that are not encoders: idle or
 * half-open sockets and garbage bytes. Real TCP on a free port.
 */
import { connect, type Socket } from "node:net";
import { RtmpIngest } from "../../../services/media/streams/rtmp-ingest";
import { waitFor } from "../../helpers/infra";

describe("RtmpIngest: sockets that are not encoders", () => {
  let ingest: RtmpIngest<{ channelId: string }>;
  let port: number;
  const refused: string[] = [];
  const authorizeCalls: string[] = [];
  const sockets: Socket[] = [];

  const open = async (): Promise<{ socket: Socket; closed: () => boolean }> => {
    const socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let closed = false;
    socket.on("close", () => {
      closed = true;
    });
    socket.on("error", () => undefined);
    // Consume what the server answers, or a paused socket never sees its end.
    socket.resume();
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    return { socket, closed: () => closed };
  };

  beforeAll(async () => {
    ingest = new RtmpIngest<{ channelId: string }>({ host: "127.0.0.1", port: 0, idleTimeoutMs: 300 }, {
      authorize: async (key) => {
        authorizeCalls.push(key);
        return null;
      },
      onPublish: () => undefined,
      onUnpublish: () => undefined,
      onRefused: (reason) => refused.push(reason),
    });
    port = await ingest.listen();
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await ingest.close();
  });

  it("closes a connection that never sends anything", async () => {
    const idle = await open();
    await waitFor(() => idle.closed(), { what: "idle socket closed by the server", timeoutMs: 5000, intervalMs: 50 });
  });

  it("survives garbage instead of an RTMP handshake and keeps accepting connections", async () => {
    const garbage = await open();
    garbage.socket.write(Buffer.alloc(4096, 0xff));
    garbage.socket.write(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    await waitFor(() => garbage.closed(), { what: "garbage socket closed", timeoutMs: 5000, intervalMs: 50 });
    const next = await open();
    expect(next.closed()).toBe(false);
    expect(authorizeCalls).toEqual([]);
  });
});
