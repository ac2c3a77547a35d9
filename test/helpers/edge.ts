/**
 * The real WAF edge for e2e tests: Debian's nginx with ModSecurity v3 and
 * the OWASP CRS (scripts/ensure-services.sh), running the repo's
 * deploy/edge configuration under its own prefix in a temp dir, on free
 * ports, with a self-signed certificate made here for `localhost`. Requests
 * go through HTTPS clients that trust exactly that certificate.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect as http2Connect } from "node:http2";
import { join } from "node:path";
import { freePort } from "./cluster";
import { createTempDir, waitFor, type TempDir } from "./infra";

export const EDGE_DIR = join(__dirname, "..", "..", "deploy", "edge");
/** The certificate's name: a numeric Host is itself a CRS finding (920350), as it is for scanners in production. */
export const EDGE_HOST = "localhost";

export interface EdgeOptions {
  apiUpstream: string;
  realtimeUpstream: string;
  bodyLimit?: string;
  uploadLimit?: string;
  /** The nodes' MEDIA_URL_SECRET (EDGE_MEDIA_URL_SECRET); a random one when not given (Edge.mediaUrlSecret). */
  mediaUrlSecret?: string;
}

export interface EdgeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json<T>(): T;
}

export interface Edge {
  port: number;
  /** https://localhost:<port> */
  origin: string;
  caFile: string;
  ca: Buffer;
  /** The key the edge checks signed media URLs with: give it to the nodes as MEDIA_URL_SECRET. */
  mediaUrlSecret: string;
  /** The nginx master's pid (its workers are its children): benchmarks count their CPU. */
  pid: number | undefined;
  /** nginx's stderr: errors, and the requests the WAF refused (rule 949110). */
  output(): string;
  /** nginx's stdout: the access log and the WAF's audit log, one JSON object per line. */
  stdoutLines(): Array<Record<string, unknown>>;
  /** Audit log entries: requests that matched any rule, with the rule ids. */
  wafHits(): Array<{ uri: string; ruleIds: string[] }>;
  request(
    method: string,
    path: string,
    opts?: { headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<EdgeResponse>;
  /** `fetch` through the edge, trusting its certificate (for ApiClient and anything fetch-shaped). */
  fetch: typeof fetch;
  /** One GET over HTTP/2 (ALPN h2): status and the protocol the server agreed to. */
  http2Get(path: string): Promise<{ status: number; alpn: string | false }>;
  stop(): Promise<void>;
}

/** envsubst for ${EDGE_*} only, as the edge image's entrypoint does: nginx's own $variables stay. */
export function renderEdgeTemplate(template: string, vars: Record<string, string>): string {
  const rendered = template.replace(/\$\{(EDGE_[A-Z0-9_]+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`edge template: ${name} has no value`);
    return value;
  });
  return rendered;
}

export function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, "edge.crt");
  const key = join(dir, "edge.key");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      `/CN=${EDGE_HOST}`,
      "-addext",
      `subjectAltName=DNS:${EDGE_HOST},IP:127.0.0.1`,
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

export async function startEdge(opts: EdgeOptions): Promise<Edge> {
  const dir: TempDir = createTempDir("arena-edge-");
  mkdirSync(join(dir.path, "tmp"));
  // Started as root (the test machines), nginx's workers run as nobody: they must reach their temp files.
  chmodSync(dir.path, 0o755);
  chmodSync(join(dir.path, "tmp"), 0o777);
  const { cert, key } = selfSignedCertificate(dir.path);
  const [port, httpPort] = [await freePort(), await freePort()];
  const conf = renderEdgeTemplate(readFileSync(join(EDGE_DIR, "nginx.conf.template"), "utf8"), {
    EDGE_CONF_DIR: EDGE_DIR,
    EDGE_SERVER_NAME: EDGE_HOST,
    EDGE_HTTPS_PORT: `127.0.0.1:${port}`,
    EDGE_HTTP_PORT: `127.0.0.1:${httpPort}`,
    EDGE_TLS_CERT: cert,
    EDGE_TLS_KEY: key,
    EDGE_API_UPSTREAM: opts.apiUpstream,
    EDGE_REALTIME_UPSTREAM: opts.realtimeUpstream,
    EDGE_BODY_LIMIT: opts.bodyLimit ?? "1m",
    EDGE_UPLOAD_LIMIT: opts.uploadLimit ?? "2g",
  });
  const confFile = join(dir.path, "nginx.conf");
  writeFileSync(confFile, conf);
  // stdout is a file: nginx and ModSecurity open() /dev/stdout, which fails on the socket a piped child gets.
  const stdoutFile = join(dir.path, "stdout.log");
  const stdoutFd = openSync(stdoutFile, "a");
  const mediaUrlSecret = opts.mediaUrlSecret ?? randomBytes(32).toString("base64url");
  const proc: ChildProcess = spawn("nginx", ["-p", dir.path, "-c", confFile, "-e", "stderr", "-g", "daemon off;"], {
    stdio: ["ignore", stdoutFd, "pipe"],
    // As the edge image's entrypoint passes it: in the environment, never in the rendered config.
    env: { ...process.env, EDGE_MEDIA_URL_SECRET: mediaUrlSecret },
  });
  closeSync(stdoutFd);
  let out = "";
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const stdoutLines = (): Array<Record<string, unknown>> =>
    readFileSync(stdoutFile, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const ca = readFileSync(cert);
  const origin = `https://${EDGE_HOST}:${port}`;

  const request: Edge["request"] = (method, path, { headers = {}, body } = {}) =>
    new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port,
          servername: EDGE_HOST,
          ca,
          method,
          path,
          headers: {
            host: `${EDGE_HOST}:${port}`,
            "user-agent": "arena-e2e/1.0",
            accept: "application/json",
            ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}),
            ...headers,
          },
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const buffer = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: buffer,
              text: () => buffer.toString("utf8"),
              json: <T>() => JSON.parse(buffer.toString("utf8")) as T,
            });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const edgeFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== "string" && !(body instanceof Uint8Array))
      throw new Error("edge fetch: only string and byte bodies");
    const res = await request(init.method ?? "GET", `${url.pathname}${url.search}`, {
      headers,
      body: body === null ? undefined : typeof body === "string" ? body : body && Buffer.from(body),
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers))
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
        responseHeaders.append(name, v);
    const empty = res.status === 204 || res.status === 304 || init.method === "HEAD";
    return new Response(empty ? null : res.body, { status: res.status, headers: responseHeaders });
  };

  const edge: Edge = {
    port,
    origin,
    caFile: cert,
    ca,
    mediaUrlSecret,
    pid: proc.pid,
    output: () => out,
    fetch: edgeFetch as typeof fetch,
    stdoutLines,
    wafHits: () =>
      stdoutLines()
        .filter((l) => l.transaction)
        .map((l) => {
          const t = l.transaction as {
            request?: { uri?: string };
            messages?: Array<{ details?: { ruleId?: string } }>;
          };
          return { uri: t.request?.uri ?? "?", ruleIds: (t.messages ?? []).map((m) => m.details?.ruleId ?? "?") };
        }),
    request,
    http2Get: (path) =>
      new Promise((resolve, reject) => {
        const session = http2Connect(`https://127.0.0.1:${port}`, { ca, servername: EDGE_HOST });
        session.on("error", reject);
        const stream = session.request({
          ":path": path,
          ":method": "GET",
          ":authority": `${EDGE_HOST}:${port}`,
          "user-agent": "arena-e2e/1.0",
        });
        stream.on("response", (headers) => {
          const alpn = (session.socket as { alpnProtocol?: string | false }).alpnProtocol ?? false;
          stream.resume();
          stream.on("end", () => {
            session.close();
            resolve({ status: Number(headers[":status"]), alpn });
          });
        });
        stream.on("error", reject);
        stream.end();
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          dir.remove();
          resolve();
        };
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once("exit", done);
        proc.kill("SIGQUIT");
      }),
  };
  try {
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`nginx exited with ${proc.exitCode}`);
        return (await request("GET", "/health/live").catch(() => undefined)) !== undefined;
      },
      { timeoutMs: 10000, intervalMs: 50, what: "the edge to accept TLS" },
    );
  } catch (err) {
    await edge.stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return edge;
}
