/**
 * The first of the two commands: `npm start` on embedded defaults (no
 * TRANSPORTER, DATABASE_URL, REDIS_URL...) builds and runs every service in one
 * process; /health/ready answers and a REST call goes through the gateway.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir } from "../../helpers/infra";
import { freePort, waitForHttp } from "../../helpers/cluster";
import { runJourney } from "../../../scripts/demo-journey";

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

describe("npm start (embedded defaults)", () => {
  let proc: ChildProcess;
  let dataDir: string;
  let output = "";
  let base: string;
  let ports: { rt: number; rtmp: number };

  beforeAll(async () => {
    const [apiPort, rtPort, rtmpPort] = [await freePort(), await freePort(), await freePort()];
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
    if (proc.pid) process.kill(-proc.pid, "SIGTERM");
  });

  it("is ready and serves REST through the gateway", async () => {
    const res = await fetch(`${base}/api/v1/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: string };
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
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
});
