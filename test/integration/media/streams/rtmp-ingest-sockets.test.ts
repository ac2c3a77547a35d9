/**
 * The RTMP listener against clients that are not encoders: idle or
 * half-open sockets and garbage bytes. Real TCP on a free port.
 */
import { connect, type Socket } from "node:net";
import type { RefusalReport } from "../../../../services/media/streams/publish-throttle";
import { RtmpIngest, type IngestPublish } from "../../../../services/media/streams/rtmp-ingest";
import { waitFor } from "../../../helpers/infra";
import { pushTestPattern, type RtmpPush } from "./rtmp-push";

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
    ingest = new RtmpIngest<{ channelId: string }>(
      { host: "127.0.0.1", port: 0, idleTimeoutMs: 300 },
      {
        authorize: async (key) => {
          authorizeCalls.push(key);
          return null;
        },
        onPublish: () => undefined,
        onUnpublish: () => undefined,
        onRefused: (reason) => refused.push(reason),
      },
    );
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

/** Real ffmpeg encoders against the listener: one publisher per key, and a frozen one does not hold the key forever. */
describe("RtmpIngest: one publisher per stream key (real ffmpeg)", () => {
  let ingest: RtmpIngest<{ channelId: string }>;
  let port: number;
  const refused: string[] = [];
  const published: string[] = [];
  const unpublished: string[] = [];
  const pushes: RtmpPush[] = [];
  const streamKey = "live_k3yTh4tMustNeverBeLogged";
  let consoleLog: jest.SpyInstance;

  beforeAll(async () => {
    // node-media-server logs through console.log.
    consoleLog = jest.spyOn(console, "log");
    ingest = new RtmpIngest<{ channelId: string }>(
      { host: "127.0.0.1", port: 0, idleTimeoutMs: 1500, headerWaitMs: 2000 },
      {
        authorize: async (key) => (key === streamKey ? { channelId: "c1" } : null),
        onPublish: (p) => published.push(p.connectionId),
        onUnpublish: (id) => unpublished.push(id),
        onRefused: (reason) => refused.push(reason),
      },
    );
    port = await ingest.listen();
  });

  afterAll(async () => {
    for (const p of pushes) {
      p.process.kill("SIGCONT");
      await p.stop();
    }
    await ingest.close();
    consoleLog.mockRestore();
  });

  it("refuses a second publisher on the same key, and accepts the key again once a frozen publisher goes silent", async () => {
    const first = pushTestPattern(`rtmp://127.0.0.1:${port}/live/${streamKey}`, { seconds: 60, audio: false });
    pushes.push(first);
    await waitFor(() => published.length === 1, { what: "first publisher", timeoutMs: 15000 });

    const second = pushTestPattern(`rtmp://127.0.0.1:${port}/live/${streamKey}`, { seconds: 60, audio: false });
    pushes.push(second);
    expect(await second.exited).not.toBe(0);
    expect(refused).toContain("this stream key is already publishing");
    expect(published).toHaveLength(1);

    // The first encoder freezes (network gone without a FIN): its socket goes silent and is closed.
    first.process.kill("SIGSTOP");
    await waitFor(() => unpublished.includes(published[0] as string), {
      what: "silent publisher dropped",
      timeoutMs: 10000,
    });
    const third = pushTestPattern(`rtmp://127.0.0.1:${port}/live/${streamKey}`, { seconds: 60, audio: false });
    pushes.push(third);
    await waitFor(() => published.length === 2, { what: "the key publishes again", timeoutMs: 15000 });
    // The library's own logs carry the stream path, i.e. the key: none may reach the output.
    expect(consoleLog.mock.calls.flat().join("\n")).not.toContain(streamKey);
  });
});

/**
 * The attack run's wrong-key flood (about 58 publishes a second from one
 * address, each a key lookup and a log line): after a few failures the
 * address is blocked and its connections are closed before the handshake,
 * and refusals are reported in one summary per interval.
 */
describe("RtmpIngest: failed publishes are throttled per address and logged in aggregate (real ffmpeg)", () => {
  let ingest: RtmpIngest<{ channelId: string }>;
  let port: number;
  const authorizeCalls: string[] = [];
  const reports: RefusalReport[] = [];

  beforeAll(async () => {
    ingest = new RtmpIngest<{ channelId: string }>(
      {
        host: "127.0.0.1",
        port: 0,
        throttle: { freeFailures: 3, baseBlockMs: 60_000 },
        refusalReportMs: 300,
      },
      {
        authorize: async (key) => {
          authorizeCalls.push(key);
          return null;
        },
        onPublish: () => undefined,
        onUnpublish: () => undefined,
        onRefusalReport: (report) => reports.push(report),
      },
    );
    port = await ingest.listen();
  });
  afterAll(() => ingest.close());

  it("looks up no more keys once the address is blocked, and reports the flood in summaries", async () => {
    for (let i = 0; i < 4; i++) {
      const push = pushTestPattern(`rtmp://127.0.0.1:${port}/live/wrong_key_${i}`, { seconds: 5, audio: false });
      expect(await push.exited).not.toBe(0);
    }
    expect(authorizeCalls).toHaveLength(4);

    // Blocked now: 30 more connections are closed at once, before any RTMP byte is read.
    const closedAtOnce = await Promise.all(
      Array.from(
        { length: 30 },
        () =>
          new Promise<boolean>((resolve) => {
            const socket = connect(port, "127.0.0.1");
            socket.on("error", () => undefined);
            socket.resume();
            const timer = setTimeout(() => {
              socket.destroy();
              resolve(false);
            }, 2000);
            socket.on("close", () => {
              clearTimeout(timer);
              resolve(true);
            });
          }),
      ),
    );
    expect(closedAtOnce.every(Boolean)).toBe(true);
    const blockedPush = pushTestPattern(`rtmp://127.0.0.1:${port}/live/wrong_key_again`, { seconds: 5, audio: false });
    expect(await blockedPush.exited).not.toBe(0);
    expect(authorizeCalls).toHaveLength(4);

    await waitFor(() => reports.reduce((n, r) => n + r.throttled, 0) >= 31, { what: "throttled connections reported" });
    const totals = reports.reduce(
      (t, r) => ({ refused: t.refused + r.refused, throttled: t.throttled + r.throttled }),
      {
        refused: 0,
        throttled: 0,
      },
    );
    expect(totals).toEqual({ refused: 4, throttled: 31 });
    // A handful of summary lines for 35 attempts, never one line per attempt.
    expect(reports.length).toBeLessThan(8);
    expect(reports.flatMap((r) => r.addresses.map((a) => a.address))).toEqual(expect.arrayContaining(["127.0.0.1"]));
  });
});

/**
 * The key check takes time (a lookup through channels): the encoder's onMetaData arrives before the
 * publish is accepted, and the picture size must still reach the publish (health samples report it).
 */
describe("RtmpIngest: picture size behind a slow key check (real ffmpeg)", () => {
  let ingest: RtmpIngest<{ channelId: string }>;
  let port: number;
  const published: IngestPublish<{ channelId: string }>[] = [];
  const pushes: RtmpPush[] = [];
  const HEADER_WAIT_MS = 20000;

  beforeAll(async () => {
    ingest = new RtmpIngest<{ channelId: string }>(
      { host: "127.0.0.1", port: 0, headerWaitMs: HEADER_WAIT_MS },
      {
        authorize: async () => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          return { channelId: "c1" };
        },
        onPublish: (p) => published.push(p),
        onUnpublish: () => undefined,
      },
    );
    port = await ingest.listen();
  });

  afterAll(async () => {
    for (const p of pushes) await p.stop();
    await ingest.close();
  });

  it("reports the pushed size, without waiting out the header deadline", async () => {
    const startedAt = Date.now();
    pushes.push(pushTestPattern(`rtmp://127.0.0.1:${port}/live/live_slowKeyCheck`, { seconds: 30, size: "640x360" }));
    await waitFor(() => published.length === 1, { what: "publish accepted", timeoutMs: HEADER_WAIT_MS + 10000 });
    expect(published[0]?.media).toMatchObject({ width: 640, height: 360, hasAudio: true });
    // Without the size the header wait runs to its deadline; with it the publish follows the headers.
    expect(Date.now() - startedAt).toBeLessThan(HEADER_WAIT_MS);
  });
});
