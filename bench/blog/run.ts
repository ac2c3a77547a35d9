/**
 * `npm run bench:blog`: render-on-write of a 20 KB markdown post, and GET of
 * a published post and of a feed under load, against a bare node:http
 * handler serving the same stored bytes, measured in the same run. Arena
 * and the baseline run in their own processes; rounds alternate which goes
 * first and the report takes medians. Also shows what the read cache buys
 * (one round with it off) and that a publish invalidates the cached feed.
 *
 * Options: --rounds 3 --duration 5 --concurrency 16 --no-write
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent, get } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { renderMarkdown } from "../../services/content/blog/markdown-render";
import { sampleMarkdown } from "./markdown-sample";
import { writeBlogReport, type LoadRow, type RenderFigures } from "./report";
import { median, percentile } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const ROUNDS = Number(opt("rounds", "3"));
const DURATION_MS = Number(opt("duration", "5")) * 1000;
const CONCURRENCY = Number(opt("concurrency", "16"));
const WRITE = !args.includes("--no-write");
const execArgv = [
  "--import",
  "tsx",
  ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
];

const children: ChildProcess[] = [];
function child(file: string): ChildProcess {
  const proc = fork(join(__dirname, file), [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.push(proc);
  return proc;
}
// An interrupted run leaves no server behind (the blog server drops its database on stop only).
process.on("exit", () => children.forEach((c) => c.kill()));
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

function nextMessage<T>(proc: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: Record<string, unknown>): void => {
      if (msg.error) reject(new Error(String(msg.error)));
      else if (key in msg) {
        proc.off("message", onMessage);
        resolve(msg[key] as T);
      }
    };
    proc.on("message", onMessage);
    proc.once("exit", (code) => reject(new Error(`${key}: child exited with ${code}`)));
  });
}

function httpGet(
  url: string,
  agent: Agent,
): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          headers: Object.fromEntries(
            Object.entries(res.headers).filter((e): e is [string, string] => typeof e[1] === "string"),
          ),
        }),
      );
      res.on("error", reject);
    }).on("error", reject);
  });
}

async function load(
  url: string,
  durationMs: number,
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + durationMs;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await httpGet(url, agent).catch(() => ({ status: 0 }));
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors += 1;
      }
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / (durationMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function renderFigures(): RenderFigures {
  const source = sampleMarkdown(20_000);
  for (let i = 0; i < 20; i += 1) renderMarkdown(source);
  const times: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const t0 = performance.now();
    renderMarkdown(source);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    markdownBytes: Buffer.byteLength(source),
    htmlBytes: Buffer.byteLength(renderMarkdown(source)),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const render = renderFigures();
  console.log(
    `render-on-write: ${render.markdownBytes} B markdown → ${render.htmlBytes} B HTML, p50 ${render.p50.toFixed(2)} ms`,
  );

  const arena = child("blog-server.ts");
  const ready = await nextMessage<{ base: string; token: string; postId: string; bareBase: string }>(arena, "ready");
  const agent = new Agent({ keepAlive: true });
  // Create through the API: render + slug claim + revision, in one transaction.
  const createTimes: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const t0 = performance.now();
    const res = await fetch(`${ready.base}/blog/posts`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ready.token}` },
      body: JSON.stringify({ blog: "site", title: `Draft ${i}`, body: sampleMarkdown(20_000, 100 + i) }),
    });
    await res.text();
    createTimes.push(performance.now() - t0);
  }
  createTimes.sort((a, b) => a - b);
  render.createP50 = percentile(createTimes, 50);
  render.createP99 = percentile(createTimes, 99);

  const arenaUrls = { post: `${ready.base}/blog/posts/${ready.postId}`, feed: `${ready.base}/blog/feeds/site/rss` };
  const post = await httpGet(arenaUrls.post, agent);
  const feed = await httpGet(arenaUrls.feed, agent);
  const bare = child("bare-server.ts");
  bare.send({
    bodies: [
      { path: "/post", contentType: post.headers["content-type"], body: post.body },
      {
        path: "/feed",
        contentType: feed.headers["content-type"],
        body: feed.body,
        headers: {
          ETag: feed.headers.etag,
          "Last-Modified": feed.headers["last-modified"],
          "Cache-Control": feed.headers["cache-control"],
        },
      },
    ],
  });
  const barePort = await nextMessage<number>(bare, "port");
  const bareUrls = { post: `http://127.0.0.1:${barePort}/post`, feed: `http://127.0.0.1:${barePort}/feed` };
  const sizes = { post: Buffer.byteLength(post.body), feed: Buffer.byteLength(feed.body) };

  const rows: LoadRow[] = [];
  for (const target of ["post", "feed"] as const) {
    await load(arenaUrls[target], 1500);
    await load(bareUrls[target], 1500);
  }
  const gatewayUrls = { post: `${ready.bareBase}/post`, feed: `${ready.bareBase}/feed` };
  const urlOf = (server: "bare" | "gateway-bare" | "arena", target: "post" | "feed"): string =>
    server === "bare" ? bareUrls[target] : server === "gateway-bare" ? gatewayUrls[target] : arenaUrls[target];
  for (let round = 1; round <= ROUNDS; round += 1) {
    for (const target of ["post", "feed"] as const) {
      const order =
        round % 2 ? (["bare", "gateway-bare", "arena"] as const) : (["arena", "gateway-bare", "bare"] as const);
      for (const server of order) {
        const r = await load(urlOf(server, target), DURATION_MS);
        rows.push({ target, server, round, ...r });
        console.log(
          `round ${round} ${target} ${server}: ${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms errors ${r.errors}`,
        );
      }
    }
  }
  // What the cache buys: the same reads with it off.
  arena.send({ cmd: "cache", enabled: false });
  await nextMessage(arena, "cache");
  for (const target of ["post", "feed"] as const) {
    const r = await load(arenaUrls[target], DURATION_MS);
    rows.push({ target, server: "arena-nocache", round: 1, ...r });
    console.log(`no cache ${target}: ${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(2)} ms`);
  }
  arena.send({ cmd: "cache", enabled: true });
  await nextMessage(arena, "cache");

  // Invalidation: a cached feed, a publish, the first read after it.
  await httpGet(arenaUrls.feed, agent);
  let t0 = performance.now();
  await httpGet(arenaUrls.feed, agent);
  const cachedMs = performance.now() - t0;
  arena.send({ cmd: "publish" });
  const publishedId = await nextMessage<string>(arena, "published");
  t0 = performance.now();
  const after = await httpGet(arenaUrls.feed, agent);
  const rebuildMs = performance.now() - t0;
  t0 = performance.now();
  await httpGet(arenaUrls.feed, agent);
  const againMs = performance.now() - t0;
  const invalidation = {
    cachedMs,
    rebuildMs,
    againMs,
    containsNewPost: after.body.includes(`urn:arena:post:${publishedId}`),
  };
  console.log("invalidation", invalidation);

  arena.send({ cmd: "stop" });
  await nextMessage(arena, "stopped").catch(() => undefined);
  bare.kill();
  agent.destroy();

  const section = writeBlogReport(
    {
      render,
      rows,
      sizes,
      invalidation,
      median,
      load: `${loadAtStart.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)} (other work on the machine)`,
      env: `${cpus().length} CPU cores (${cpus()[0]?.model ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`,
      settings: { rounds: ROUNDS, durationS: DURATION_MS / 1000, concurrency: CONCURRENCY },
    },
    WRITE,
  );
  console.log(section);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
