/**
 * `npm run bench:web`: the web client's numbers.
 *
 *  1. bundle: gzipped JS and CSS the home page loads before it runs (budget 150 KB of JS);
 *  2. first frame: navigation → first decoded video frame of a live channel in Chromium
 *     (performance mark "arena:first-frame", set by requestVideoFrameCallback), for the app's
 *     channel page and for a bare hls.js page on the same playlist (the baseline, same run,
 *     runs alternated), reported against the HLS segment duration, the floor;
 *  3. Lighthouse performance and accessibility on the home and channel pages (mobile preset,
 *     simulated throttling; desktop preset too).
 *
 * It starts its own embedded Arena node serving web/dist and pushes ffmpeg's test pattern.
 * Options: --runs 5 (first-frame runs per page)  --lighthouse-runs 3  --no-lighthouse  --no-write
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { Server } from "node:http";
import { launchChromium, CHROMIUM_PATH } from "../../test/helpers/browser";
import { freePort } from "../../test/helpers/cluster";
import { ensureWebBuilt, pushTestPattern, startWebNode, type WebNode } from "../../test/helpers/web-e2e";
import { startBaselineServer } from "./baseline-server";
import { measureBundle } from "./bundle";
import { runLighthouse, type LighthouseScores } from "./lighthouse-run";
import { writeWebReport, type WebReport } from "./report";
import { median } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const RUNS = Number(opt("runs", "5"));
const LH_RUNS = Number(opt("lighthouse-runs", "3"));
const PASSWORD = "violet-tundra-42-kettle";

/** The few fields of the page's <video> the timeout diagnostics read (the bench compiles without DOM types). */
interface PageVideo {
  readyState: number;
  paused: boolean;
  currentTime: number;
  error: { message: string } | null;
  src: string;
}

async function call<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function goLive(web: WebNode): Promise<{ slug: string; channelId: string; push: ChildProcess }> {
  const name = `bench_${Date.now().toString(36)}`;
  await call(web.base, "POST", "/auth/register", { email: `${name}@example.test`, username: name, password: PASSWORD });
  const login = await call<{ accessToken: string }>(web.base, "POST", "/auth/login", {
    login: name,
    password: PASSWORD,
  });
  const slug = name.replace(/_/g, "-");
  const created = await call<{ channel: { id: string }; streamKey: string }>(
    web.base,
    "POST",
    "/channels",
    { slug, title: "Bench channel", category: "Benchmarks" },
    login.accessToken,
  );
  const push = pushTestPattern(`rtmp://127.0.0.1:${web.rtmpPort}/live/${created.streamKey}`, 3600);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await call<{ live: boolean; playbackUrl: string | null }>(
      web.base,
      "GET",
      `/streams/channels/${created.channel.id}`,
    );
    if (status.live && status.playbackUrl) {
      // Wait until the playlist has a few segments: a fresh stream's first seconds are not what viewers meet.
      const ok = await segmentDuration(status.playbackUrl).catch(() => 0);
      if (ok > 0) break;
    }
    if (Date.now() > deadline) throw new Error("the test pattern never went live");
    await new Promise((r) => setTimeout(r, 1000));
  }
  await new Promise((r) => setTimeout(r, 8000));
  return { slug, channelId: created.channel.id, push };
}

/** The target segment duration of the first rendition of a master playlist, in seconds. */
async function segmentDuration(masterUrl: string): Promise<number> {
  const master = await (await fetch(masterUrl)).text();
  const variant = master.split("\n").find((l) => l && !l.startsWith("#"));
  if (!variant) return 0;
  const media = await (await fetch(new URL(variant.trim(), masterUrl))).text();
  const target = /#EXT-X-TARGETDURATION:(\d+(?:\.\d+)?)/.exec(media);
  const segments = (media.match(/#EXTINF/g) ?? []).length;
  return target && segments >= 3 ? Number(target[1]) : 0;
}

async function firstFrames(
  web: WebNode,
  baselinePort: number,
  slug: string,
  channelId: string,
): Promise<{ app: number[]; bare: number[]; segmentS: number }> {
  const baseline: Server = await startBaselineServer(baselinePort);
  const { browser, close } = await launchChromium();
  const app: number[] = [];
  const bare: number[] = [];
  let segmentS = 0;
  try {
    const measure = async (url: string): Promise<number> => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      const page = await context.newPage();
      const logs: string[] = [];
      page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on("requestfailed", (r) => logs.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
      try {
        await page.goto(url);
        return await page
          .waitForFunction(
            () => {
              const mark = performance.getEntriesByName("arena:first-frame")[0];
              return mark ? mark.startTime : undefined;
            },
            undefined,
            { timeout: 30_000, polling: 50 },
          )
          .then((h) => h.jsonValue() as Promise<number>);
      } catch (err) {
        // What the page was doing when no frame came: the video element's state and the console.
        const video = await page
          .evaluate(() => {
            const doc = (globalThis as unknown as { document: { querySelector(s: string): PageVideo | null } })
              .document;
            const v = doc.querySelector("video");
            return v
              ? { readyState: v.readyState, paused: v.paused, time: v.currentTime, error: v.error?.message, src: v.src }
              : null;
          })
          .catch(() => null);
        console.error(`no first frame on ${url}: video ${JSON.stringify(video)}\n${logs.slice(-20).join("\n")}`);
        throw err;
      } finally {
        await context.close();
      }
    };
    for (let i = 0; i < RUNS; i++) {
      app.push(await measure(`${web.base}/c/${slug}`));
      const status = await call<{ playbackUrl: string }>(web.base, "GET", `/streams/channels/${channelId}`);
      segmentS ||= await segmentDuration(status.playbackUrl);
      bare.push(await measure(`http://127.0.0.1:${baselinePort}/?src=${encodeURIComponent(status.playbackUrl)}`));
      console.log(
        `  run ${i + 1}/${RUNS}: app ${app.at(-1)?.toFixed(0)} ms, bare hls.js ${bare.at(-1)?.toFixed(0)} ms`,
      );
    }
  } finally {
    await close();
    baseline.close();
  }
  return { app, bare, segmentS };
}

async function lighthouseMedian(url: string, preset: "mobile" | "desktop"): Promise<LighthouseScores> {
  const runs: LighthouseScores[] = [];
  for (let i = 0; i < LH_RUNS; i++) runs.push(await runLighthouse(url, CHROMIUM_PATH, preset));
  return {
    performance: median(runs.map((r) => r.performance)),
    accessibility: median(runs.map((r) => r.accessibility)),
    lcpMs: median(runs.map((r) => r.lcpMs)),
    tbtMs: median(runs.map((r) => r.tbtMs)),
    a11yMisses: [...new Set(runs.flatMap((r) => r.a11yMisses))],
  };
}

async function main(): Promise<void> {
  console.log("building web/dist if stale…");
  ensureWebBuilt();
  const bundle = measureBundle(join(__dirname, "..", "..", "web", "dist"));
  console.log(`home page JS ${bundle.homeJsGzipKb.toFixed(1)} KB gz, CSS ${bundle.homeCssGzipKb.toFixed(1)} KB gz`);

  // The bare page runs on another port: its origin may fetch the signed media (CORS).
  const baselinePort = await freePort();
  const web = await startWebNode({ RATE_LIMIT_MEDIA_PER_IP: "100000" }, [`http://127.0.0.1:${baselinePort}`]);
  let push: ChildProcess | undefined;
  try {
    const live = await goLive(web);
    push = live.push;
    console.log(`first decoded frame, ${RUNS} runs each (alternating app and bare hls.js)…`);
    const frames = await firstFrames(web, baselinePort, live.slug, live.channelId);
    const lighthouse: WebReport["lighthouse"] = [];
    if (!args.includes("--no-lighthouse")) {
      for (const [page, url] of [
        ["home", `${web.base}/`],
        ["channel (live)", `${web.base}/c/${live.slug}`],
      ] as const)
        for (const preset of ["mobile", "desktop"] as const) {
          console.log(`lighthouse ${page} (${preset}), ${LH_RUNS} runs…`);
          lighthouse.push({ page, preset, ...(await lighthouseMedian(url, preset)) });
        }
    }
    const report: WebReport = {
      bundle,
      firstFrame: {
        appMs: median(frames.app),
        bareMs: median(frames.bare),
        runs: RUNS,
        segmentS: frames.segmentS,
        appRuns: frames.app,
        bareRuns: frames.bare,
      },
      lighthouse,
    };
    writeWebReport(report, !args.includes("--no-write"));
  } finally {
    push?.kill("SIGKILL");
    await web.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
