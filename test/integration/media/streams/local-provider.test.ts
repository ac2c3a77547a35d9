import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { probeMedia } from "../../../../lib/media/ffprobe";
import { parseLadder } from "../../../../lib/media/hls-ladder";
import type { IngestHealthSample } from "../../../../lib/media/ingest-health";
import { verifyMediaGrant } from "../../../../lib/media/signed-url";
import { LocalMediaProvider } from "../../../../services/media/streams/local-media-provider";
import type {
  IngestAuthorization,
  ProviderCallbacks,
  PublishStarted,
} from "../../../../services/media/streams/media-provider";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import { pushTestPattern, type RtmpPush } from "./rtmp-push";

/**
 * The local provider alone (no broker): real RTMP ingest, real ffmpeg
 * pushing and packaging. The callbacks play the streams service's part.
 */
describe("LocalMediaProvider (real RTMP ingest + ffmpeg)", () => {
  const goodKey = `live_${uniqueId("k")}`;
  let dir: TempDir;
  let provider: LocalMediaProvider;
  const started: PublishStarted[] = [];
  const stopped: string[] = [];
  const health: IngestHealthSample[] = [];
  const authorizedKeys: string[] = [];
  let sessionCounter = 0;
  const openSessions = new Map<string, string>();

  beforeAll(async () => {
    dir = createTempDir("arena-live-");
    provider = new LocalMediaProvider({
      mediaRoot: join(dir.path, "media"),
      publicUrl: "http://127.0.0.1:3000",
      rtmp: { host: "127.0.0.1", port: 0 },
      ffmpegPath: "ffmpeg",
      urlSecret: "test-secret-test-secret-test-secret",
      urlTtlS: 600,
      // Below the 320x180 test pattern so both renditions are produced (no upscaling).
      ladder: parseLadder("144p:200:48,96p:100:32"),
      segmentSeconds: 1,
      playlistSize: 10,
      preset: "ultrafast",
      healthIntervalMs: 500,
      log: { info: () => undefined, warn: () => undefined },
    });
    const callbacks: ProviderCallbacks = {
      async authorizeStreamKey(key): Promise<IngestAuthorization | null> {
        authorizedKeys.push(key);
        return key === goodKey ? { channelId: "ch1", ownerId: "u1" } : null;
      },
      async publishStarted(event) {
        started.push(event);
        const existing = openSessions.get(event.channelId);
        if (existing) return { sessionId: existing, resumed: true };
        const sessionId = `s${++sessionCounter}-${uniqueId()}`;
        openSessions.set(event.channelId, sessionId);
        return { sessionId, resumed: false };
      },
      publishStopped(event) {
        stopped.push(event.sessionId);
      },
      healthSampled(event) {
        health.push(event.sample);
      },
    };
    await provider.start(callbacks);
  });

  afterAll(async () => {
    await provider.stop();
    dir.remove();
  });

  it("refuses a bad key: the push fails and nothing is packaged", async () => {
    const push = pushTestPattern(`${provider.rtmpUrl()}/live_wrong${uniqueId()}`, { seconds: 5, audio: false });
    const code = await push.exited;
    expect(code).not.toBe(0);
    expect(authorizedKeys.some((k) => k.startsWith("live_wrong"))).toBe(true);
    expect(started).toHaveLength(0);
    expect(existsSync(join(dir.path, "media", "live"))).toBe(false);
  });

  it("packages a good push into a playable HLS ladder, samples health, and hands over a recording", async () => {
    const push = pushTestPattern(`${provider.rtmpUrl()}/${goodKey}`, { seconds: 60 });
    const sessionId = (await waitFor(() => openSessions.get("ch1"), {
      what: "session opened",
      timeoutMs: 15000,
    })) as string;
    const liveDir = join(dir.path, "media", "live", sessionId);
    await waitFor(
      () =>
        existsSync(join(liveDir, "master.m3u8")) &&
        existsSync(join(liveDir, "144p", "index.m3u8")) &&
        readFileSync(join(liveDir, "144p", "index.m3u8"), "utf8").includes(".ts"),
      {
        what: "master and rendition playlists",
        timeoutMs: 30000,
        intervalMs: 200,
      },
    );
    const master = readFileSync(join(liveDir, "master.m3u8"), "utf8");
    expect(master).toContain("source/index.m3u8");
    expect(master).toContain("144p/index.m3u8");
    expect(master).toContain("96p/index.m3u8");
    const probe = await probeMedia("ffprobe", join(liveDir, "144p", "index.m3u8"));
    expect(probe.streams.find((s) => s.codecType === "video")?.height).toBe(144);

    await waitFor(() => health.some((h) => h.bitrateKbps > 0 && h.fps > 0), {
      what: "health sample",
      timeoutMs: 10000,
    });
    const sample = health.filter((h) => h.fps > 0).pop() as IngestHealthSample;
    expect(sample.fps).toBeGreaterThan(10);
    expect(sample.height).toBe(180);
    await waitFor(() => health.some((h) => h.keyframeIntervalS > 0), {
      what: "keyframe interval measured",
      timeoutMs: 10000,
    });
    expect(health.filter((h) => h.keyframeIntervalS > 0).pop()?.keyframeIntervalS).toBeCloseTo(2, 0);

    const url = new URL(provider.playbackUrl(sessionId));
    expect(url.pathname).toBe(`/media/live/${sessionId}/master.m3u8`);
    expect(
      verifyMediaGrant(url.pathname, Object.fromEntries(url.searchParams), "test-secret-test-secret-test-secret"),
    ).toEqual({ ok: true });

    await waitFor(() => existsSync(join(liveDir, "source", "seg_00002.ts")), {
      what: "three source segments",
      timeoutMs: 20000,
      intervalMs: 200,
    });
    await push.stop();
    await waitFor(() => stopped.includes(sessionId), { what: "publish stopped" });
    const recording = await provider.endSession(sessionId);
    expect(existsSync(liveDir)).toBe(false);
    expect(recording?.storageKey).toBe(`recordings/${sessionId}/source.mp4`);
    expect(recording?.durationS).toBeGreaterThan(1);
    // Handing over again (a restart between joining and publishing) finds the joined file.
    expect(await provider.endSession(sessionId)).toEqual(recording);
    const recorded = await probeMedia("ffprobe", join(dir.path, "media", recording?.storageKey ?? "missing"));
    expect(recorded.streams.map((s) => s.codecType).sort()).toEqual(["audio", "video"]);
  });
});

describe("LocalMediaProvider without ffmpeg", () => {
  it("keeps running, refuses publishes saying why, and packages once ffmpeg is installed, without a restart", async () => {
    const dir = createTempDir("arena-live-noffmpeg-");
    const warnings: string[] = [];
    const started: string[] = [];
    const binDir = join(dir.path, "bin");
    mkdirSync(binDir);
    const provider = new LocalMediaProvider({
      mediaRoot: join(dir.path, "media"),
      publicUrl: "http://127.0.0.1:3000",
      rtmp: { host: "127.0.0.1", port: 0 },
      ffmpegPath: join(binDir, "ffmpeg"),
      urlSecret: "test-secret",
      urlTtlS: 600,
      ladder: parseLadder("144p:200"),
      segmentSeconds: 1,
      playlistSize: 10,
      preset: "ultrafast",
      healthIntervalMs: 500,
      ffmpegRetryMs: 200,
      log: { info: () => undefined, warn: (msg) => warnings.push(msg) },
    });
    await provider.start({
      authorizeStreamKey: async () => ({ channelId: "ch1", ownerId: "u1" }),
      publishStarted: async (event) => {
        started.push(event.connectionId);
        return { sessionId: "late-ffmpeg", resumed: false };
      },
      publishStopped: () => undefined,
      healthSampled: () => undefined,
    });
    const pushes: RtmpPush[] = [];
    try {
      // Nothing is looked up (or complained about) at boot: ffmpeg is needed only when someone goes live.
      expect(warnings).toEqual([]);
      const refused = pushTestPattern(`${provider.rtmpUrl()}/live_anything`, { seconds: 5, audio: false });
      pushes.push(refused);
      expect(await refused.exited).not.toBe(0);
      expect(started).toEqual([]);
      expect(warnings.filter((w) => w.includes("ffmpeg not found"))).toHaveLength(1);

      // The operator installs ffmpeg: the next publish finds it.
      for (const tool of ["ffmpeg", "ffprobe"]) {
        const real = execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim();
        symlinkSync(real, join(binDir, tool));
      }
      await new Promise((r) => setTimeout(r, 250));
      const accepted = pushTestPattern(`${provider.rtmpUrl()}/live_anything`, { seconds: 30, audio: false });
      pushes.push(accepted);
      await waitFor(() => started.length === 1, {
        what: "publish accepted once ffmpeg is installed",
        timeoutMs: 15000,
      });
    } finally {
      for (const p of pushes) await p.stop();
      await provider.stop();
      dir.remove();
    }
    // The refusal itself is in the aggregated report, flushed at stop at the latest.
    expect(warnings.some((w) => w.includes("1× live packaging unavailable: ffmpeg is not installed"))).toBe(true);
  });
});
