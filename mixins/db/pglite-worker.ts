/**
 * PGlite runs in a worker thread, not on the service event loop:
 * - its WASM executes every query synchronously; on the main thread a heavy
 *   query would stall every action, timer and socket of the node;
 * - its CommonJS build loads node modules with dynamic `import()`, which
 *   Jest's VM sandbox refuses; a worker is a plain Node context.
 * The worker is written as source text (eval worker) so it runs the same from
 * ts sources (tsx, jest) and from the compiled dist without a build step.
 * Module paths are resolved by the parent and passed in.
 */
import { Worker } from "node:worker_threads";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
let db, server;
async function start() {
  db = await PGlite.create(workerData.dir);
  server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: workerData.maxConnections });
  await server.start();
  return Number(server.getServerConn().split(":").pop());
}
async function stop() {
  if (server) await server.stop().catch(() => undefined);
  if (db && !db.closed) await db.close();
}
start().then(
  (port) => parentPort.postMessage({ type: "ready", port }),
  (err) => parentPort.postMessage({ type: "error", message: String(err && err.stack || err) }),
);
parentPort.on("message", (msg) => {
  if (msg && msg.type === "stop") {
    stop().then(
      () => parentPort.postMessage({ type: "stopped" }),
      (err) => parentPort.postMessage({ type: "error", message: String(err && err.stack || err) }),
    );
  }
});
`;

type WorkerMessage = { type: "ready"; port: number } | { type: "stopped" } | { type: "error"; message: string };

export interface PgliteServer {
  port: number;
  /** Closes the socket server and PGlite (flushing the data dir), then ends the worker. */
  stop(): Promise<void>;
}

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: WorkerMessage) => {
      cleanup();
      resolve(msg);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`PGlite worker exited with code ${code}`));
    };
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

export async function startPgliteServer(dir: string, maxConnections: number): Promise<PgliteServer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dir,
      maxConnections,
      pglitePath: require.resolve("@electric-sql/pglite"),
      socketPath: require.resolve("@electric-sql/pglite-socket"),
    },
  });
  // The node's lifetime is decided by its services, not by this thread.
  worker.unref();
  // A crashed worker must not take the node down with an unhandled 'error'
  // event: queries then fail with ECONNREFUSED and health checks report it.
  worker.on("error", (err) => process.emitWarning(`Embedded PostgreSQL worker failed: ${err.message}`));
  const first = await nextMessage(worker);
  if (first.type !== "ready") {
    await worker.terminate();
    throw new Error(
      `Embedded PostgreSQL failed to start in ${dir}: ${first.type === "error" ? first.message : first.type}`,
    );
  }
  return {
    port: first.port,
    async stop() {
      const done = nextMessage(worker);
      worker.postMessage({ type: "stop" });
      try {
        const reply = await done;
        if (reply.type === "error") throw new Error(`Embedded PostgreSQL did not close cleanly: ${reply.message}`);
      } finally {
        await worker.terminate();
      }
    },
  };
}
