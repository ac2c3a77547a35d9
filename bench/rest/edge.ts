/**
 * The edge rows of bench:rest (issue 19: "media at nginx speed through the
 * edge"): a signed 285 KB segment through the real edge (deploy/edge on
 * Debian's nginx: TLS, ModSecurity with the CRS, the njs HMAC check of the
 * grant, the segment cache) in front of an embedded Arena node, against the
 * same nginx binary serving the same file as a plain static file over the
 * same TLS, with the same worker count and the same JSON access log, in the
 * same run. After the first request the edge answers from its cache, so the
 * ratio is what the grant check and the WAF cost over static serving. A
 * tampered grant is checked once to be refused by the edge itself.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { freePort } from "../../test/helpers/cluster";
import { EDGE_HOST, selfSignedCertificate, startEdge } from "../../test/helpers/edge";
import { MEDIA_SECRET, startEmbedded } from "./nodes";

/** A load target: where to send requests, and the processes whose CPU the requests cost. */
export interface Target {
  base: string;
  pids(): number[];
  stop(): Promise<void>;
}

/** The pids of an nginx master and its workers (the workers do the serving). */
function nginxPids(pid: number | undefined): number[] {
  if (!pid) return [];
  let children: number[] = [];
  try {
    children = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim())
      .map(Number);
  } catch {
    // pgrep exits 1 when there are no children yet
  }
  return [pid, ...children];
}

/** Debian's nginx serving a copy of one file over TLS at /file/<name>: the baseline the edge is held to. */
async function startStaticNginx(file: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "arena-bench-nginx-"));
  mkdirSync(join(dir, "tmp"));
  // Started as root, nginx's workers run as nobody: the copy (DATA_DIR is owner-only) must be world-readable.
  const fileDir = join(dir, "files");
  mkdirSync(fileDir);
  copyFileSync(file, join(fileDir, basename(file)));
  chmodSync(dir, 0o755);
  chmodSync(fileDir, 0o755);
  chmodSync(join(fileDir, basename(file)), 0o644);
  const { cert, key } = selfSignedCertificate(dir);
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes auto;
pid nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
  client_body_temp_path tmp/client_body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  log_format arena_json escape=json '{"time":"$time_iso8601","requestId":"$request_id","path":"$uri","status":$status,"bytes":$body_bytes_sent}';
  access_log ${join(dir, "access.log")} arena_json;
  server {
    listen 127.0.0.1:${port} ssl http2;
    server_name ${EDGE_HOST};
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ssl_protocols TLSv1.2 TLSv1.3;
    location /file/ { alias ${fileDir}/; }
  }
}
`,
  );
  const proc = spawn("nginx", ["-p", dir, "-c", conf, "-e", "stderr", "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `https://${EDGE_HOST}:${port}`;
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(`${base}/file/`).then(
      () => true,
      (err: unknown) => !String((err as { cause?: unknown }).cause ?? err).includes("ECONNREFUSED"),
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    pids: () => nginxPids(proc.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill("SIGQUIT");
      }),
  };
}

export interface EdgeSetup {
  edge: Target;
  bare: Target;
  /** The signed segment through the edge, and the same file from the static server. */
  edgePath: string;
  barePath: string;
  stop(): Promise<void>;
}

export async function startEdgeSetup(): Promise<EdgeSetup> {
  // The load clients (autocannon, in this process) must accept the self-signed certificates.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const arena = await startEmbedded();
  const upstream = new URL(arena.base).host;
  const edge = await startEdge({ apiUpstream: upstream, realtimeUpstream: upstream, mediaUrlSecret: MEDIA_SECRET });
  const bare = await startStaticNginx(arena.mediaFile);
  const stop = async (): Promise<void> => {
    await Promise.allSettled([edge.stop(), bare.stop()]);
    await arena.stop();
  };
  const barePath = `/file/${basename(arena.mediaFile)}`;
  try {
    const first = await edge.request("GET", arena.mediaPath);
    const second = await edge.request("GET", arena.mediaPath);
    if (first.status !== 200 || second.headers["x-edge-cache"] !== "HIT")
      throw new Error(`edge: segment ${first.status}, second answer ${String(second.headers["x-edge-cache"])}`);
    const tampered = await edge.request(
      "GET",
      arena.mediaPath.replace(/sig=([^&])/, (_m, c: string) => `sig=${c === "A" ? "B" : "A"}`),
    );
    if (tampered.status !== 403) throw new Error(`edge: a tampered grant answered ${tampered.status}`);
    const check = await fetch(`${bare.base}${barePath}`);
    if (check.status !== 200 || (await check.arrayBuffer()).byteLength !== readFileSync(arena.mediaFile).length)
      throw new Error("static nginx: no file");
  } catch (err) {
    // A failed check must not leave nginx and the node running.
    await stop();
    throw err;
  }
  return {
    edge: { base: `https://${EDGE_HOST}:${edge.port}`, pids: () => nginxPids(edge.pid), stop: () => edge.stop() },
    bare,
    edgePath: arena.mediaPath,
    barePath,
    stop,
  };
}
