/**
 * PGlite's file system layer (Emscripten NODEFS) creates and chmods its files
 * with the modes Postgres asks for inside its sandbox, 0666 and 0777, past the
 * process umask: a data dir full of world-writable files. Before PGlite loads,
 * the worker's own `fs` (a worker has its own module instances) clamps every
 * mode it is given to the owner's bits.
 */
const OWNER_ONLY_FS = `
const fs = require("node:fs");
const own = (mode) => (typeof mode === "number" ? mode & 0o700 : mode);
const ownOpts = (opts) => (typeof opts === "number" ? own(opts) : opts && typeof opts === "object" && "mode" in opts ? { ...opts, mode: own(opts.mode) } : opts);
for (const [name, at] of [["chmodSync", 1], ["fchmodSync", 1], ["lchmodSync", 1], ["openSync", 2]]) {
  const original = fs[name];
  if (typeof original === "function") fs[name] = function (...args) { args[at] = own(args[at]); return original.apply(this, args); };
}
for (const [name, at] of [["mkdirSync", 1], ["writeFileSync", 2]]) {
  const original = fs[name];
  fs[name] = function (...args) { args[at] = ownOpts(args[at]); return original.apply(this, args); };
}
require("node:module").syncBuiltinESMExports();
`;

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
${OWNER_ONLY_FS}
const { PGlite } = require(workerData.pglitePath);
const { PGLiteSocketServer } = require(workerData.socketPath);
const { pg_trgm } = require(workerData.pgTrgmPath);
let db, server;
async function start() {
  // Contrib extensions a migration may CREATE (search: trigram typo tolerance); loaded only when created.
  db = await PGlite.create(workerData.dir, { extensions: { pg_trgm } });
  // The caller holds the data dir's lock: a socket file still there is a crashed node's.
  fs.rmSync(workerData.socketFile, { force: true });
  server = new PGLiteSocketServer({ db, path: workerData.socketFile, maxConnections: workerData.maxConnections });
  await server.start();
  fs.chmodSync(workerData.socketFile, 0o600);
}
async function stop() {
  if (server) await server.stop().catch(() => undefined);
  if (db && !db.closed) await db.close();
}
start().then(
  () => parentPort.postMessage({ type: "ready" }),
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

type WorkerMessage = { type: "ready" } | { type: "stopped" } | { type: "error"; message: string };

export interface PgliteServer {
  /** The Unix socket it serves, mode 0600. */
  socketFile: string;
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

/**
 * Serves PGlite on a Unix socket, never TCP: PGlite has no authentication (any
 * client is superuser), so the only gate is who can open the socket file
 * (0600, in a 0700 directory): the node's own OS user.
 */
export async function startPgliteServer(
  dir: string,
  socketFile: string,
  maxConnections: number,
): Promise<PgliteServer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      dir,
      socketFile,
      maxConnections,
      pglitePath: require.resolve("@electric-sql/pglite"),
      socketPath: require.resolve("@electric-sql/pglite-socket"),
      pgTrgmPath: require.resolve("@electric-sql/pglite/contrib/pg_trgm"),
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
    socketFile,
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
