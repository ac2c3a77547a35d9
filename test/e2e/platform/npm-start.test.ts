/**
 * The first of the two commands: `npm start` on embedded defaults (no
 * TRANSPORTER, DATABASE_URL, REDIS_URL...) builds and runs every service in one
 * process; /health/ready answers and a REST call goes through the gateway.
 * Also what a newcomer meets: a quiet log, ARENA_ADMINS, the demo failing fast,
 * and stopping it by the npm process's pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { createTempDir, waitFor, type TempDir } from "../../helpers/infra";
import { freePort, waitForHttp } from "../../helpers/cluster";
import { failsFastWithin } from "../../helpers/timing-bounds";
import { DEMO_STEP_TIMEOUT_MS, runJourney } from "../../../scripts/demo-journey";

const ROOT = join(__dirname, "..", "..", "..");

/** Entries under `root` that group or others can read, write or traverse (symlinks not followed). */
function notOwnerOnly(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return found;
}

/** Lines the node logged at WARN or above, and Node's own process warnings. */
function warnings(output: string): string[] {
  return output.split("\n").filter((l) => /^\[[^\]]+\] (WARN|ERROR|FATAL) |\(node:\d+\) \w*Warning/.test(l));
}

/** True once nothing accepts TCP connections on the port. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("npm start (embedded defaults)", () => {
  let proc: ChildProcess;
  let dataDir: string;
  let scratch: TempDir;
  let apiPort: number;
  let output = "";
  let base: string;
  let ports: { rt: number; rtmp: number };

  beforeAll(async () => {
    const rtPort = await freePort();
    const rtmpPort = await freePort();
    apiPort = await freePort();
    scratch = createTempDir();
    base = `http://127.0.0.1:${apiPort}`;
    ports = { rt: rtPort, rtmp: rtmpPort };
    // A data dir an older version left open to everyone: boot must close it.
    dataDir = createTempDir().path;
    writeFileSync(join(dataDir, "left-by-an-old-version"), "x");
    chmodSync(join(dataDir, "left-by-an-old-version"), 0o666);
    chmodSync(dataDir, 0o777);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      PUBLIC_URL: base,
      REALTIME_PORT: String(rtPort),
      RTMP_PORT: String(rtmpPort),
      METRICS_PORT: "0",
      LOG_LEVEL: "warn",
      ARENA_ADMINS: "first_admin",
    };
    proc = spawn("npm", ["start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    proc.stdout?.on("data", (d: Buffer) => (output += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      proc.once("exit", (code) => reject(new Error(`npm start exited with ${code}`))),
    );
    try {
      await Promise.race([waitForHttp(`${base}/health/ready`, 200, 150000), exited]);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- node output ---\n${output.slice(-4000)}`);
    }
  }, 180000);

  afterAll(() => {
    try {
      if (proc.pid) process.kill(-proc.pid, "SIGTERM");
    } catch {
      // Already gone: the last test stops it.
    }
    scratch?.remove();
  });

  it("is ready and serves REST through the gateway", async () => {
    const res = await fetch(`${base}/api/v1/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: string };
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("logs no warning on a clean boot and a normal request; ARENA_ADMINS makes the first admin", async () => {
    const res = await fetch(`${base}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: "first_admin",
        email: "first@example.test",
        password: "violet-tundra-42-kettle",
      }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { roles: string[] }).roles).toEqual(["viewer", "admin"]);
    // Let anything the request set off reach the log before reading it.
    await new Promise((r) => setTimeout(r, 500));
    expect(warnings(output)).toEqual([]);
  });

  it("serves the OpenAPI document and refuses unknown routes with the error body", async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain("/api/v1/status");
    const missing = await fetch(`${base}/api/v1/no-such-route`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("carries a creator and a viewer through the whole journey: live with ffmpeg, chat, signed HLS, VOD, comment", async () => {
    const lines: string[] = [];
    const result = await runJourney({
      api: base,
      ws: `ws://127.0.0.1:${ports.rt}`,
      rtmp: `rtmp://127.0.0.1:${ports.rtmp}`,
      pushSeconds: 8,
      log: (l) => lines.push(l),
    }).catch((err: Error) => {
      throw new Error(
        `${err.message}\n--- journey ---\n${lines.join("\n")}\n--- node output ---\n${output.slice(-3000)}`,
      );
    });
    expect(result.liveStreams).toMatch(/^video,\d+,\d+/m);
    expect(result.vodStreams).toMatch(/^video,\d+,\d+/m);
    expect(result.videoId).toBeTruthy();
    expect(result.commentId).toBeTruthy();
  });

  it("keeps DATA_DIR owner-only after a whole journey, database on a Unix socket in it", () => {
    expect(notOwnerOnly(dataDir)).toEqual([]);
    expect(lstatSync(join(dataDir, "run", ".s.PGSQL.5432")).isSocket()).toBe(true);
  });

  it("demo: stops waiting as soon as the push fails, without printing the stream key", async () => {
    // An ffmpeg that runs, but whose push fails the way a refused or unreachable ingest does.
    const fake = join(scratch.path, "ffmpeg");
    writeFileSync(
      fake,
      '#!/bin/sh\n[ "$1" = "-version" ] && exit 0\nfor last; do :; done\necho "$last: Connection refused" >&2\nexit 1\n',
      { mode: 0o755 },
    );
    symlinkSync(fake, join(scratch.path, "ffprobe"));
    const started = Date.now();
    const failure = await runJourney({
      api: base,
      ws: `ws://127.0.0.1:${ports.rt}`,
      rtmp: `rtmp://127.0.0.1:${ports.rtmp}`,
      pushSeconds: 8,
      ffmpegPath: fake,
      log: () => undefined,
    }).then(
      () => new Error("the journey should have failed"),
      (err: Error) => err,
    );
    expect(failure.message).toMatch(
      /^ffmpeg stopped pushing to rtmp:\/\/127\.0\.0\.1:\d+ \(exit code 1: .*<stream key>: Connection refused\)/,
    );
    expect(failure.message).not.toMatch(/live_[A-Za-z0-9_-]{20,}/);
    // Gave up when ffmpeg exited, not after waiting out a step's timeout for a stream that never came.
    expect(Date.now() - started).toBeLessThan(failsFastWithin(DEMO_STEP_TIMEOUT_MS));
  });

  it("stops the node and frees its ports when the npm process (not its group) gets SIGTERM", async () => {
    const exited = new Promise((resolve) => proc.once("exit", resolve));
    process.kill(proc.pid as number, "SIGTERM");
    await exited;
    for (const port of [apiPort, ports.rt, ports.rtmp])
      await waitFor(() => portClosed(port), { what: `port ${port} freed`, timeoutMs: 20000, intervalMs: 200 });
  });
});
