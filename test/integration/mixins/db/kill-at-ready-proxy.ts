/**
 * A TCP proxy in front of the shared PostgreSQL that kills the first
 * `killFirst` connections the way a failover does at the worst moment: the
 * server's ReadyForQuery and a FATAL 57P01 ErrorResponse (what
 * pg_terminate_backend sends) reach the client in one write, so pg parses
 * both in the same socket read. Later connections pass through untouched.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface KillAtReadyProxy {
  port: number;
  /** Connections killed so far. */
  killed(): number;
  close(): Promise<void>;
}

/** The ErrorResponse a backend sends when an administrator terminates it. */
function adminShutdownError(): Buffer {
  const fields = Buffer.concat(
    [
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", "57P01"],
      ["M", "terminating connection due to administrator command"],
    ].map(([code, value]) => Buffer.from(`${code}${value}\0`, "utf8")),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const header = Buffer.alloc(5);
  header.write("E", 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** Offset just past the ReadyForQuery ('Z') message in the server's startup replies, or -1 while it is not all there. */
function endOfReadyForQuery(buf: Buffer): number {
  let at = 0;
  while (at + 5 <= buf.length) {
    const type = String.fromCharCode(buf[at]);
    const end = at + 1 + buf.readInt32BE(at + 1);
    if (end > buf.length) return -1;
    if (type === "Z") return end;
    at = end;
  }
  return -1;
}

export async function startKillAtReadyProxy(targetPort: number, killFirst: number): Promise<KillAtReadyProxy> {
  const sockets = new Set<Socket>();
  let killed = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    if (killed >= killFirst) {
      upstream.pipe(client);
      return;
    }
    killed += 1;
    let pending = Buffer.alloc(0);
    upstream.on("data", (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const end = endOfReadyForQuery(pending);
      if (end < 0) return;
      // One write: the client reads ReadyForQuery and the FATAL together.
      client.end(Buffer.concat([pending.subarray(0, end), adminShutdownError()]));
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    killed: () => killed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
