/**
 * Embedded PostgreSQL for `npm start` on a bare machine: PGlite (real
 * Postgres compiled to WASM, data dir on disk) served over the Postgres wire
 * protocol by pglite-socket on a Unix socket in DATA_DIR (in a worker thread,
 * see pglite-worker.ts), so the exact sequelize/pg code used against a real
 * server runs against it. PGlite has no authentication: a TCP port would let
 * any local process in as superuser; the socket (0600 in a 0700 directory)
 * lets in only the node's own OS user, who can read DATA_DIR anyway.
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
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sequelize } from "sequelize";
import { lockDataDir } from "./data-dir-lock";
import { startPgliteServer, type PgliteServer } from "./pglite-worker";
import { RETRYABLE_CONNECTION_ERRORS } from "./sql-db";

interface Opened {
  server: PgliteServer;
  unlock: () => void;
  sequelize: Sequelize;
  socket: SocketLocation;
}

/** libpq's convention, which pg follows: the client is given a directory and a port, and opens `<dir>/.s.PGSQL.<port>`. */
const SOCKET_PORT = 5432;
/** sun_path holds 108 bytes on Linux (104 on macOS), the terminating NUL included. */
const MAX_SOCKET_PATH = 100;

export interface SocketLocation {
  dir: string;
  file: string;
  /** Removes the directory when it is a private temporary one. */
  cleanUp(): void;
}

/**
 * DATA_DIR/run, owner-only; when DATA_DIR's path is too long for a Unix
 * socket address, a private (0700) directory under the OS temp dir instead.
 */
export function socketLocation(dataDir: string): SocketLocation {
  const name = `.s.PGSQL.${SOCKET_PORT}`;
  const inDataDir = join(dataDir, "run");
  if (join(inDataDir, name).length <= MAX_SOCKET_PATH) {
    mkdirSync(inDataDir, { recursive: true, mode: 0o700 });
    return { dir: inDataDir, file: join(inDataDir, name), cleanUp: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), "arena-pg-"));
  return { dir, file: join(dir, name), cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
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
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(dir);
  let server: PgliteServer;
  let socket: SocketLocation | undefined;
  try {
    socket = socketLocation(dataDir);
    // A few connections so a reconnect is never refused while the old one is
    // still being torn down; only one is used at a time (pool max 1).
    server = await startPgliteServer(dir, socket.file, 4);
  } catch (err) {
    socket?.cleanUp();
    unlock();
    throw err;
  }
  const sequelize = new Sequelize("postgres", "postgres", "", {
    host: socket.dir,
    port: SOCKET_PORT,
    dialect: "postgres",
    logging: false,
    pool: { max: 1, min: 0, idle: 10000, acquire: 60000, evict: 1000 },
    retry: { max: 3, match: RETRYABLE_CONNECTION_ERRORS },
    define: { underscored: true },
  });
  return { server, unlock, sequelize, socket };
}

async function close(opened: Opened): Promise<void> {
  await opened.sequelize.close().catch(() => undefined);
  try {
    await opened.server.stop();
  } finally {
    opened.socket.cleanUp();
    opened.unlock();
  }
}

export interface EmbeddedLease {
  sequelize: Sequelize;
  /** The Unix socket the database is served on. */
  socketFile: string;
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
    socketFile: opened.socket.file,
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
