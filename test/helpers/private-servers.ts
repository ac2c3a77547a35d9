/**
 * Private NATS (JetStream), Redis and PostgreSQL processes on free ports and
 * temp dirs, for tests that stop, kill, freeze or restart a server: the
 * shared servers on the standard ports are never touched. Each server can be
 * stopped and started again on the same port with the same data, or frozen
 * (SIGSTOP: the socket stays open but nothing answers).
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { freePort } from "./cluster";
import { trackTempDir, waitFor } from "./infra";

export interface PrivateServer {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** Starts (again) on the same port with the same data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the process (SIGKILL for a crash, SIGTERM by default) and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP / SIGCONT: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  readonly running: boolean;
  /** Stops it and removes its temp dir. */
  dispose(): Promise<void>;
  output(): string;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** root may not run PostgreSQL: processes that need it run as this uid/gid. */
interface RunAs {
  uid: number;
  gid: number;
}

function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  if (!line) throw new Error("running as root needs a 'postgres' user to start a private PostgreSQL");
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

class ManagedServer implements PrivateServer {
  private proc?: ChildProcess;
  private log = "";

  constructor(
    readonly name: string,
    readonly port: number,
    readonly url: string,
    private readonly dir: string,
    private readonly command: () => { bin: string; args: string[]; options?: SpawnOptions },
    /** Answers true once the server serves requests (default: its port accepts connections). */
    private readonly ready: () => Promise<boolean> = () => portOpen(port),
  ) {}

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  output(): string {
    return this.log.slice(-4000);
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { bin, args, options } = this.command();
    const proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    this.proc = proc;
    proc.stdout?.on("data", (d: Buffer) => (this.log += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (this.log += d.toString()));
    await waitFor(
      async () => {
        if (!this.running) throw new Error(`${this.name} exited: ${this.output()}`);
        return this.ready();
      },
      { timeoutMs: 30000, intervalMs: 50, what: `${this.name} on port ${this.port}` },
    );
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    if (proc.signalCode === null) proc.kill("SIGCONT");
    proc.kill(signal);
    await exited;
    // The port must be free again before a restart on it.
    await waitFor(async () => !(await portOpen(this.port)), { timeoutMs: 10000, what: `${this.name} port closed` });
  }

  freeze(): void {
    this.proc?.kill("SIGSTOP");
  }

  thaw(): void {
    this.proc?.kill("SIGCONT");
  }

  async dispose(): Promise<void> {
    await this.stop("SIGKILL").catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** nats-server with JetStream, store in a temp dir. */
export async function startPrivateNats(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = trackTempDir(mkdtempSync(join(tmpdir(), "arena-nats-")));
  const bin = existsSync("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
  const server = new ManagedServer("nats", port, `nats://127.0.0.1:${port}`, dir, () => ({
    bin,
    args: ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir],
  }));
  await server.start();
  return server;
}

/** redis-server without persistence. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = trackTempDir(mkdtempSync(join(tmpdir(), "arena-redis-")));
  const server = new ManagedServer("redis", port, `redis://127.0.0.1:${port}`, dir, () => ({
    bin: "redis-server",
    args: ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
  }));
  await server.start();
  return server;
}

function postgresBinDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => join(root, v, "bin")).find((dir) => existsSync(join(dir, "initdb")));
  if (!found) throw new Error(`no PostgreSQL binaries under ${root}`);
  return found;
}

/** A fresh PostgreSQL cluster (trust auth, user postgres, no fsync) in a temp dir; `url` points at database `postgres`. */
export async function startPrivatePostgres(): Promise<PrivateServer> {
  const port = await freePort();
  const dir = trackTempDir(mkdtempSync(join(tmpdir(), "arena-pg-")));
  const bin = postgresBinDir();
  const runAs = postgresUser();
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const data = join(dir, "data");
  await new Promise<void>((resolve, reject) => {
    const init = spawn(
      join(bin, "initdb"),
      ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"],
      { stdio: ["ignore", "ignore", "pipe"], ...runAs },
    );
    let err = "";
    init.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    init.once("error", reject);
    init.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code}): ${err}`))));
  });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const acceptsQueries = async (): Promise<boolean> => {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const server = new ManagedServer(
    "postgres",
    port,
    url,
    dir,
    () => ({
      bin: join(bin, "postgres"),
      args: [
        "-D",
        data,
        "-p",
        String(port),
        "-k",
        dir,
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
      ],
      options: runAs ? { ...runAs } : undefined,
    }),
    acceptsQueries,
  );
  await server.start();
  return server;
}
