/**
 * A viewer's and a creator's first hour, against a running Arena (default
 * http://127.0.0.1:3000, ws://127.0.0.1:3001, rtmp://127.0.0.1:1935):
 * register two users, create a channel, go live with ffmpeg's test pattern,
 * chat over the WebSocket, watch the signed HLS, stop, and find the VOD the
 * recording became, then comment on it. Operators use it as a smoke test
 * after a deploy: `npx tsx scripts/demo-journey.ts`.
 */
import { spawn } from "node:child_process";
import WebSocket from "ws";
import { ffprobePathFor } from "../lib/media/ffprobe";

export interface JourneyTarget {
  api: string;
  ws: string;
  rtmp: string;
  pushSeconds: number;
  log: (line: string) => void;
  /** The ffmpeg that pushes the test pattern (ffprobe is looked for beside it); default FFMPEG_PATH or "ffmpeg". */
  ffmpegPath?: string;
}

export interface JourneyResult {
  channelId: string;
  chatMessageId: string;
  liveStreams: string;
  videoId: string;
  vodStreams: string;
  commentId: string;
}

type Json = Record<string, unknown>;

let API = "";
let log: (line: string) => void = console.log;

async function call<T = Json>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${API}/api/v1${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** How long the demo waits for each step (live, segments, the VOD) before it gives up. */
export const DEMO_STEP_TIMEOUT_MS = 120000;

/** Polls `check` until it returns a value; gives up at the timeout, or as soon as `abandon` settles. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = DEMO_STEP_TIMEOUT_MS,
  abandon?: Promise<unknown>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let abandoned = false;
  abandon?.then(
    () => (abandoned = true),
    () => (abandoned = true),
  );
  while (Date.now() < deadline && !abandoned) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out: ${what}`);
}

function step(text: string): void {
  log(`\n▶ ${text}`);
}

async function user(name: string): Promise<{ id: string; token: string }> {
  const suffix = Date.now().toString(36);
  const email = `${name}-${suffix}@example.test`;
  const password = "violet-tundra-42-kettle";
  await call("POST", "/auth/register", { email, username: `${name}_${suffix}`, password });
  const login = await call<{ accessToken: string; user: { id: string } }>("POST", "/auth/login", {
    login: email,
    password,
  });
  return { id: login.user.id, token: login.accessToken };
}

/** Runs `<tool> -version`; resolves false when it cannot be started or fails. */
function runs(tool: string): Promise<boolean> {
  return new Promise((resolve) => {
    const p = spawn(tool, ["-version"], { stdio: "ignore" });
    p.once("error", () => resolve(false));
    p.once("exit", (code) => resolve(code === 0));
  });
}

/** The demo's own tools: missing ones stop it before anything is created, with one line saying what to do. */
async function requireFfmpeg(ffmpegPath: string): Promise<void> {
  for (const tool of [ffmpegPath, ffprobePathFor(ffmpegPath)]) {
    if (!(await runs(tool)))
      throw new Error(
        `${tool} is not installed or does not run: the demo pushes a test pattern with ffmpeg and reads HLS with ffprobe. ` +
          `Install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; macOS: brew install ffmpeg) or set FFMPEG_PATH, then run npm run demo again.`,
      );
  }
}

/** ffmpeg names its output URL in its errors; the URL holds the stream key. */
function withoutKey(text: string, streamKey: string): string {
  return text.split(streamKey).join("<stream key>");
}

function probe(ffprobePath: string, url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(ffprobePath, [
      "-v",
      "error",
      "-show_entries",
      "stream=codec_type,width,height",
      "-of",
      "csv=p=0",
      url,
    ]);
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.once("error", (err) => reject(new Error(`${ffprobePath} could not start: ${err.message}`)));
    p.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`ffprobe exited ${code}`))));
  });
}

/** Runs the whole journey; throws at the first step that does not work. */
export async function runJourney(target: JourneyTarget): Promise<JourneyResult> {
  API = target.api;
  log = target.log;
  const { ws: WS, rtmp: RTMP, pushSeconds: PUSH_SECONDS } = target;
  const ffmpegPath = target.ffmpegPath ?? process.env.FFMPEG_PATH ?? "ffmpeg";
  const ffprobePath = ffprobePathFor(ffmpegPath);
  await requireFfmpeg(ffmpegPath);
  step("register a creator and a viewer");
  const creator = await user("creator");
  const viewer = await user("viewer");

  step("create a channel (the stream key is shown once)");
  const created = await call<{ channel: { id: string; slug: string }; streamKey: string }>(
    "POST",
    "/channels",
    { slug: `demo-${Date.now().toString(36)}`, title: "Demo channel", category: "Speedruns" },
    creator.token,
  );
  const channelId = created.channel.id;
  log(`channel ${created.channel.slug} (${channelId})`);

  step("the viewer follows the channel");
  await call("PUT", `/channels/${channelId}/follow`, {}, viewer.token);

  step(`go live: ffmpeg pushes a test pattern for ${PUSH_SECONDS}s`);
  const push = spawn(
    ffmpegPath,
    [
      "-loglevel",
      "error",
      "-re",
      "-f",
      "lavfi",
      "-i",
      "testsrc=size=640x360:rate=30",
      "-f",
      "lavfi",
      "-i",
      "sine",
      "-t",
      String(PUSH_SECONDS),
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-g",
      "60",
      "-c:a",
      "aac",
      "-f",
      "flv",
      `${RTMP}/live/${created.streamKey}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let pushErrors = "";
  push.stderr.on("data", (d: Buffer) => (pushErrors = (pushErrors + d.toString()).slice(-2000)));
  const pushExited = new Promise<number | null>((resolve, reject) => {
    push.once("error", (err) => reject(new Error(`${ffmpegPath} could not start: ${err.message}`)));
    push.once("exit", (code) => resolve(code));
  });
  // A push that fails (ingest refused the key, no ffmpeg on the server, nothing listening) ends the wait at once.
  const pushFailed = pushExited.then((code) => {
    const why = withoutKey(pushErrors.trim().split("\n").pop() ?? "", created.streamKey);
    throw new Error(
      `ffmpeg stopped pushing to ${RTMP} (exit code ${code}${why ? `: ${why}` : ""}); ` +
        `the server's log says why it refused the stream (is ffmpeg installed where Arena runs?)`,
    );
  });
  pushFailed.catch(() => undefined);
  const status = await Promise.race([
    until(
      "channel live with a playback URL",
      async () => {
        const s = await call<{ live: boolean; playbackUrl: string | null }>("GET", `/streams/channels/${channelId}`);
        return s.live && s.playbackUrl ? s : undefined;
      },
      120000,
      pushFailed,
    ),
    pushFailed,
  ]);
  log(`live; playback ${status.playbackUrl}`);

  step("chat: the viewer joins the room and says hello");
  const ws = new WebSocket(WS, ["arena.v1", `bearer.${viewer.token}`]);
  const frames: Json[] = [];
  ws.on("message", (d) => {
    const parsed = JSON.parse(d.toString()) as Json | Json[];
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(JSON.stringify({ type: "join", room: channelId }));
  ws.send(JSON.stringify({ type: "send", room: channelId, text: "hello from the demo", cid: "c1" }));
  const echoed = await until("own message fanned out", async () => frames.find((f) => f.type === "msg"), 15000);
  log(`chat message delivered: ${JSON.stringify(echoed).slice(0, 160)}`);
  const joined = await until("joined frame", async () => frames.find((f) => f.type === "joined"), 15000);
  log(`viewers when joined: ${String(joined.viewerCount)}`);

  step("watch: ffprobe reads the signed HLS master playlist");
  // A master playlist whose renditions have no segment yet probes to nothing: keep polling until it shows a stream.
  const live = await until(
    "HLS segments",
    async () => (await probe(ffprobePath, status.playbackUrl as string)) || undefined,
    60000,
  );
  log(live);

  step("stop pushing: the session ends and the recording becomes a VOD");
  await pushExited;
  ws.close();
  const video = await until(
    "VOD from the recording",
    async () => {
      const list = await call<{ items: Array<{ id: string; status: string; title: string }> }>(
        "GET",
        `/videos?channelId=${channelId}`,
      );
      return list.items.find((v) => v.status === "ready");
    },
    180000,
  );
  log(`video ${video.id} "${video.title}" is ${video.status}`);
  const playback = await call<{ hlsUrl: string }>("GET", `/videos/${video.id}/playback`, undefined, viewer.token);
  const vod = await probe(ffprobePath, playback.hlsUrl);
  log(vod);

  step("the viewer comments on the VOD");
  const comment = await call<{ id: string; body: string }>(
    "POST",
    `/videos/${video.id}/comments`,
    { body: "GG, great run!" },
    viewer.token,
  );
  log(JSON.stringify(comment).slice(0, 200));
  log("\n✔ journey complete");
  return {
    channelId,
    chatMessageId: String(echoed.id),
    liveStreams: live,
    videoId: video.id,
    vodStreams: vod,
    commentId: comment.id,
  };
}

if (require.main === module) {
  runJourney({
    api: process.env.ARENA_API ?? "http://127.0.0.1:3000",
    ws: process.env.ARENA_WS ?? "ws://127.0.0.1:3001",
    rtmp: process.env.ARENA_RTMP ?? "rtmp://127.0.0.1:1935",
    pushSeconds: Number(process.env.PUSH_SECONDS ?? 15),
    log: console.log,
  }).catch((err: unknown) => {
    console.error(`\n✘ ${(err as Error).message}`);
    process.exit(1);
  });
}
