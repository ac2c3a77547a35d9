/**
 * `npm run bench:clips`: clipping a live stream. A real RTMP broadcast
 * (ffmpeg test pattern, 2 s GOP) goes into the embedded streams service;
 * once enough is recorded, each round asks the clips service for the last
 * N seconds and times request → ready (the queued job, ffprobe of the part
 * and of the keyframes, the ffmpeg cut, the thumbnail, storage, the ready
 * transaction). Baseline in the same run: the same ffmpeg cut command run
 * directly on the same recording. Rounds alternate which goes first; the
 * report takes medians. The bar: request → ready within 2x the
 * clip's duration.
 *
 * Options: --duration 30 (clip seconds) --rounds 3
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { Client } from "pg";
import { buildBrokerOptions } from "../../bin/broker-options";
import type { AuthUser } from "../../lib/auth/auth-user";
import { loadConfig, setConfig } from "../../lib/config";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import ChannelsService from "../../services/core/channels/channels.service";
import UsersService from "../../services/core/users/users.service";
import ClipsService from "../../services/media/clips/clips.service";
import type { ClipView } from "../../services/media/clips/clip.types";
import { buildClipArgs, keyframeProbeArgs, parseKeyframeTimes, planCut } from "../../services/media/clips/clip-cut";
import StreamsService from "../../services/media/streams/streams.service";
import type { StreamsThis } from "../../services/media/streams/streams.context";
import type { LocalMediaProvider } from "../../services/media/streams/local-media-provider";
import type { LiveRecording } from "../../services/media/streams/streams.contract";
import { pushTestPattern } from "../../test/integration/media/streams/rtmp-push";
import { median } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const CLIP_S = Number(opt("duration", "30"));
const ROUNDS = Number(opt("rounds", "3"));
const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dbName = `arena_bench_clips_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), "arena-bench-clips-"));
  const config = await loadConfig({
    ARENA_MODE: "embedded",
    NAMESPACE: `benchclips${Date.now().toString(36)}`,
    DATA_DIR: dataDir,
    DATABASE_URL: dbUrl.toString(),
    METRICS_PORT: "0",
    API_PORT: "0",
    REALTIME_PORT: "0",
    RTMP_PORT: "0",
    LOG_LEVEL: "warn",
    LIVE_HLS_LADDER: "144p:200:48",
    LIVE_X264_PRESET: "ultrafast",
    WEB_DIST_DIR: join(dataDir, "no-web"),
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: "bench-clips" }),
    logger: { type: "Console", options: { level: "warn" } },
    middlewares: [DurableEventsMiddleware(config, { relayIntervalMs: 100 })],
  });
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  const streams = broker.createService(StreamsService as unknown as ServiceSchema) as unknown as StreamsThis;
  broker.createService({
    ...ClipsService,
    settings: { ...ClipsService.settings, jobPollMs: 1000, createRateLimit: { max: 1000, windowMs: 60_000 } },
  } as ServiceSchema);
  let push: ReturnType<typeof pushTestPattern> | undefined;
  try {
    await broker.start();
    const user: AuthUser = { id: "bench-streamer", username: "bench_streamer", roles: ["creator"] };
    const meta = { user };
    const { channel, streamKey } = await broker.call<{ channel: { id: string }; streamKey: string }, unknown>(
      "channels.create",
      { slug: "benchclips", title: "Bench clips" },
      { meta },
    );
    const rtmp = (streams.provider as LocalMediaProvider).rtmpUrl();
    push = pushTestPattern(`${rtmp}/${streamKey}`, { seconds: 3600 });
    const warmupS = CLIP_S + 4;
    console.log(`live: ${rtmp}; recording ${warmupS} s before the first clip…`);
    let live: LiveRecording | undefined;
    const deadline = Date.now() + 30_000;
    while (!live && Date.now() < deadline) {
      live = await broker
        .call<LiveRecording, unknown>("streams.liveRecording", { channelId: channel.id })
        .then((l) => (l.recordingKeys.length > 0 ? l : undefined))
        .catch(() => undefined);
      if (!live) await sleep(200);
    }
    if (!live) throw new Error(`the stream never went live: ${push.stderr()}`);
    await sleep(warmupS * 1000);
    const part = join(dataDir, "media", ...live.recordingKeys[live.recordingKeys.length - 1]!.split("/"));

    const arena: number[] = [];
    const direct: number[] = [];
    const methods: string[] = [];
    const clipOnce = async (): Promise<void> => {
      const t0 = performance.now();
      const created = await broker.call<ClipView, unknown>(
        "clips.create",
        { channelId: channel.id, durationS: CLIP_S, title: "bench" },
        { meta },
      );
      for (;;) {
        const c = await broker.call<ClipView, unknown>("clips.get", { id: created.id }, { meta });
        if (c.status === "failed") throw new Error(`clip failed: ${c.failureReason}`);
        if (c.status === "ready") {
          arena.push(performance.now() - t0);
          methods.push(c.method ?? "?");
          return;
        }
        await sleep(20);
      }
    };
    const directOnce = (): void => {
      // The same cut the worker makes, planned the same way (planning not timed).
      const probe = JSON.parse(
        execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=start_time,duration", "-of", "json", part], {
          encoding: "utf8",
        }),
      ) as { format: { start_time: string; duration: string } };
      const start0 = Number.parseFloat(probe.format.start_time);
      const end = start0 + Number.parseFloat(probe.format.duration);
      const startAbs = end - CLIP_S;
      const keyframes = parseKeyframeTimes(
        execFileSync("ffprobe", keyframeProbeArgs(part, startAbs - 2, startAbs + 1.1), { encoding: "utf8" }),
      );
      const plan = planCut(keyframes, startAbs, CLIP_S, ClipsService.settings!.copyToleranceS as number);
      const out = join(dataDir, "direct.mp4");
      const t0 = performance.now();
      const run = spawnSync("ffmpeg", buildClipArgs(part, plan, out, "veryfast", start0));
      if (run.status !== 0) throw new Error(`direct ffmpeg failed: ${run.stderr.toString()}`);
      direct.push(performance.now() - t0);
    };
    for (let r = 0; r < ROUNDS; r++) {
      if (r % 2 === 0) {
        await clipOnce();
        directOnce();
      } else {
        directOnce();
        await clipOnce();
      }
      console.log(
        `round ${r + 1}: arena ${arena[arena.length - 1]!.toFixed(0)} ms (${methods[methods.length - 1]}), ffmpeg directly ${direct[direct.length - 1]!.toFixed(0)} ms`,
      );
    }
    const a = median(arena);
    const d = median(direct);
    console.log("");
    console.log(`machine: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`);
    console.log(`clip: last ${CLIP_S} s of a live stream (320x180 test pattern, 2 s GOP), ${ROUNDS} rounds, medians`);
    console.log(`| | request → ready (ms) | ffmpeg cut alone (ms) | ready / clip duration |`);
    console.log(`|---|---|---|---|`);
    console.log(`| arena clips | ${a.toFixed(0)} | ${d.toFixed(0)} | ${(a / (CLIP_S * 1000)).toFixed(3)} (bar: 2) |`);
    console.log(`arena / direct ffmpeg: ${(a / d).toFixed(1)}x; methods: ${[...new Set(methods)].join(", ")}`);
    if (a > 2 * CLIP_S * 1000) process.exitCode = 1;
  } finally {
    await push?.stop();
    await broker.stop().catch(() => undefined);
    const c = new Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await c.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
