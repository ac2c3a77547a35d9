/**
 * Embedded PostgreSQL for `npm start` on a bare machine: PGlite (real
 * Postgres compiled to WASM, data dir on disk) served over the Postgres wire
 * protocol by pglite-socket on 127.0.0.1 (in a worker thread, see
 * pglite-worker.ts), so the exact sequelize/pg code used against a real
 * server runs against it.
 *
 * PGlite is ONE session. The socket server's multiplexer (maxConnections > 1)
 * queues protocol *messages*, not queries: it keeps a connection's messages
 * together only while an explicit transaction is open. An extended-protocol
 * query is several messages (Parse/Bind/Describe/Execute/Sync), and another
 * connection's Parse can land between them and replace the unnamed prepared
 * statement, so interleaved connections are not safe. Hence: one Sequelize
 * with pool max 1, shared by every service of the process and refcounted so
 * one service stopping does not close it under the others. Transactions of
 * different services therefore run one after another, never interleaved.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Sequelize } from "sequelize";
import { lockDataDir } from "./data-dir-lock";
import { startPgliteServer, type PgliteServer } from "./pglite-worker";
import { RETRYABLE_CONNECTION_ERRORS } from "./sql-db";

interface Opened {
  server: PgliteServer;
  unlock: () => void;
  sequelize: Sequelize;
  port: number;
}

interface Entry {
  refs: number;
  opening: Promise<Opened>;
}

const instances = new Map<string, Entry>();
/** Close of a data dir still in progress: a reopen must wait for PGlite to flush and release it. */
const closing = new Map<string, Promise<void>>();

async function open(dataDir: string): Promise<Opened> {
  await closing.get(dataDir);
  const dir = join(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  let server: PgliteServer;
  try {
    // A few sockets so a reconnect is never refused while the old socket is
    // still being torn down; only one is used at a time (pool max 1).
    server = await startPgliteServer(dir, 4);
  } catch (err) {
    unlock();
    throw err;
  }
  const port = server.port;
  const sequelize = new Sequelize("postgres", "postgres", "", {
    host: "127.0.0.1",
    port,
    dialect: "postgres",
    logging: false,
    pool: { max: 1, min: 0, idle: 10000, acquire: 60000, evict: 1000 },
    retry: { max: 3, match: RETRYABLE_CONNECTION_ERRORS },
    define: { underscored: true },
  });
  return { server, unlock, sequelize, port };
}

async function close(opened: Opened): Promise<void> {
  await opened.sequelize.close().catch(() => undefined);
  try {
    await opened.server.stop();
  } finally {
    opened.unlock();
  }
}

export interface EmbeddedLease {
  sequelize: Sequelize;
  port: number;
  release(): Promise<void>;
}

/** The process-wide embedded database of `dataDir` (opened on first use). */
export async function acquireEmbeddedPostgres(dataDir: string): Promise<EmbeddedLease> {
  let entry = instances.get(dataDir);
  if (!entry) {
    entry = { refs: 0, opening: open(dataDir) };
    instances.set(dataDir, entry);
  }
  entry.refs++;
  const current = entry;
  let opened: Opened;
  try {
    opened = await current.opening;
  } catch (err) {
    current.refs--;
    if (instances.get(dataDir) === current) instances.delete(dataDir);
    throw err;
  }
  let released = false;
  return {
    sequelize: opened.sequelize,
    port: opened.port,
    async release() {
      if (released) return;
      released = true;
      current.refs--;
      if (current.refs > 0) return;
      instances.delete(dataDir);
      const done = close(opened);
      closing.set(
        dataDir,
        done.catch(() => undefined),
      );
      try {
        await done;
      } finally {
        if (closing.get(dataDir)) closing.delete(dataDir);
      }
    },
  };
}

/** Data dirs with an open embedded database (for tests and health output). */
export function openEmbeddedDataDirs(): string[] {
  return [...instances.keys()];
}
