/**
 * The web client's e2e setup: one embedded Arena node (every service in one
 * process, as `npm start` runs it) serving a freshly built web/dist, free
 * ports, and Chromium. The web build runs only when web/dist is older than
 * the client's sources, so a run after `npm start` (or a second run) reuses it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { PageVideo, PageWindow } from "./browser";
import { freePort, startNode, waitForHttp, type ArenaNode } from "./cluster";
import { createTempDir } from "./infra";

const ROOT = join(__dirname, "..", "..");
export const ARTIFACTS = join(ROOT, "test-artifacts", "web");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than web/src, web/index.html and the API surface (route tables). */
export function ensureWebBuilt(): void {
  const index = join(ROOT, "web", "dist", "index.html");
  const sources = Math.max(newestMtime(join(ROOT, "web", "src")), statSync(join(ROOT, "web", "index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  execFileSync("npm", ["run", "build", "-w", "web"], { cwd: ROOT, stdio: "pipe" });
}

export interface WebNode {
  base: string;
  rtmpPort: number;
  /** The node's DATA_DIR (mails are .eml files under mail/). */
  dataDir: string;
  node: ArenaNode;
  stop(): Promise<void>;
}

/** `extraOrigins`: other pages (a benchmark's baseline page) allowed to fetch media and open sockets. */
export async function startWebNode(
  extraEnv: Record<string, string> = {},
  extraOrigins: string[] = [],
): Promise<WebNode> {
  const [api, rt, rtmp] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${api}`;
  const data = createTempDir();
  const node = startNode(`web-e2e-${api}`, {
    DATA_DIR: data.path,
    API_PORT: String(api),
    PUBLIC_URL: base,
    CORS_ORIGINS: [base, ...extraOrigins].join(","),
    REALTIME_PORT: String(rt),
    RTMP_PORT: String(rtmp),
    // A dropped publisher ends its session (and becomes a VOD) after 2 s instead of 30.
    LIVE_RECONNECT_GRACE_S: "2",
    RATE_LIMIT_PER_IP: "5000",
    ...extraEnv,
  });
  try {
    await waitForHttp(`${base}/health/ready`, 200, 150_000);
  } catch (err) {
    await node.kill();
    throw new Error(`${(err as Error).message}\n--- node output ---\n${node.output().slice(-4000)}`);
  }
  return {
    base,
    rtmpPort: rtmp,
    dataDir: data.path,
    node,
    stop: async () => {
      await node.kill();
      data.remove?.();
    },
  };
}

/** ffmpeg's test pattern over RTMP, as an encoder would push it (2 s keyframes). */
export function pushTestPattern(url: string, seconds: number): ChildProcess {
  return spawn(
    "ffmpeg",
    [
      "-loglevel",
      "error",
      "-re",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=640x360:rate=30",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440",
      "-t",
      String(seconds),
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-tune",
      "zerolatency",
      "-g",
      "60",
      "-c:a",
      "aac",
      "-f",
      "flv",
      url,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.evaluate(() => (globalThis as unknown as PageWindow).scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** The <video>'s currentTime, twice, `gapMs` apart: playing means the second is later. */
export async function playbackAdvances(page: Page, gapMs = 1500): Promise<boolean> {
  const read = () =>
    page.$eval("[data-testid=player-video]", (v) => {
      const video = v as unknown as PageVideo;
      return { t: video.currentTime, paused: video.paused, ready: video.readyState };
    });
  const first = await read();
  await page.waitForTimeout(gapMs);
  const second = await read();
  return !second.paused && second.ready >= 2 && second.t > first.t + 0.2;
}
