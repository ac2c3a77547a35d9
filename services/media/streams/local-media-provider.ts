import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runFfmpeg, runFfmpegToEnd, type FfmpegRun } from "../../../lib/media/ffmpeg-process";
import { probeMedia, ffprobePathFor } from "../../../lib/media/ffprobe";
import { FfmpegLookup } from "../../../lib/media/ffmpeg-lookup";
import type { Rendition } from "../../../lib/media/hls-ladder";
import { IngestHealthMeter, readFlvTag } from "../../../lib/media/ingest-health";
import {
  buildConcatArgs,
  buildLiveHlsArgs,
  buildMasterPlaylist,
  liveVariants,
  type LiveHlsJob,
} from "../../../lib/media/live-hls-args";
import { signMediaGrant } from "../../../lib/media/signed-url";
import type {
  IngestAuthorization,
  IngestEndpoint,
  MediaProvider,
  ProviderCallbacks,
  RecordingHandover,
} from "./media-provider";
import { formatRefusalReport } from "./publish-throttle";
import { INGEST_APP, RtmpIngest, type IngestPublish } from "./rtmp-ingest";

/**
 * Embedded live pipeline: RTMP ingest in-process, one ffmpeg per publish
 * writing an HLS ladder under `<mediaRoot>/live/<sessionId>/` and an
 * MPEG-TS recording part under `<mediaRoot>/recordings/<sessionId>/`.
 * A reconnect within the grace period starts a new ffmpeg that appends to
 * the same playlists (with a discontinuity) and writes the next part; the
 * parts are joined into `source.mp4` when the session ends.
 */
export interface LocalProviderOptions {
  mediaRoot: string;
  publicUrl: string;
  rtmp: { host: string; port: number };
  ffmpegPath: string;
  urlSecret: string;
  urlTtlS: number;
  ladder: readonly Rendition[];
  segmentSeconds: number;
  playlistSize: number;
  preset: string;
  healthIntervalMs: number;
  /** How long a failed ffmpeg lookup is trusted before the next publish looks again (default 5 s). */
  ffmpegRetryMs?: number;
  log: { info(msg: string): void; warn(msg: string): void };
}

interface Packaging {
  sessionId: string;
  connectionId: string;
  disconnect: () => void;
  ffmpeg: FfmpegRun;
  unsubscribe: () => void;
  healthTimer: NodeJS.Timeout;
}

const WILDCARD_HOSTS = new Set(["", "0.0.0.0", "::", "[::]"]);

/**
 * The RTMP URL given to broadcasters. Bound to every interface (RTMP_HOST
 * 0.0.0.0, the production setting) the bind address means nothing to a
 * remote encoder, so the host of PUBLIC_URL is advertised instead.
 */
export function advertisedRtmpUrl(bindHost: string, port: number, publicUrl: string): string {
  let host = bindHost;
  if (WILDCARD_HOSTS.has(bindHost)) {
    try {
      host = new URL(publicUrl).hostname || "127.0.0.1";
    } catch {
      host = "127.0.0.1";
    }
  }
  if (host.includes(":") && !host.startsWith("[")) host = `[${host}]`;
  return `rtmp://${host}:${port}/${INGEST_APP}`;
}

export class LocalMediaProvider implements MediaProvider {
  readonly kind = "local" as const;
  private ingest: RtmpIngest<IngestAuthorization> | undefined;
  private boundPort = 0;
  private callbacks: ProviderCallbacks | undefined;
  /** By RTMP connection id. */
  private readonly packaging = new Map<string, Packaging>();
  /** Packager exits still pending, per session, so endSession can wait for them. */
  private readonly pendingExits = new Map<string, Promise<unknown>[]>();

  constructor(private readonly options: LocalProviderOptions) {}

  async start(callbacks: ProviderCallbacks): Promise<void> {
    this.callbacks = callbacks;
    // Without ffmpeg the rest of the platform still runs; publishes are refused, saying why. It is looked
    // up at each publish (kept once found), so installing it later needs no restart.
    const ffmpeg = new FfmpegLookup(this.options.ffmpegPath, {
      retryMs: this.options.ffmpegRetryMs,
      onChange: (available) =>
        available
          ? this.options.log.info(`ffmpeg found at "${this.options.ffmpegPath}": live publishes are packaged`)
          : this.options.log.warn(
              `ffmpeg not found at "${this.options.ffmpegPath}" (FFMPEG_PATH): live publishes are refused until it is installed (see README, "Quick start")`,
            ),
    });
    this.ingest = new RtmpIngest<IngestAuthorization>(this.options.rtmp, {
      authorize: async (key) => {
        if (!(await ffmpeg.available())) throw new Error("live packaging unavailable: ffmpeg is not installed");
        return callbacks.authorizeStreamKey(key);
      },
      onPublish: (publish) => void this.onPublish(publish),
      onUnpublish: (connectionId) => void this.onUnpublish(connectionId),
      // One line per interval, however many attempts: a wrong-key flood must not become a log flood.
      onRefusalReport: (report) => this.options.log.warn(formatRefusalReport(report)),
    });
    this.boundPort = await this.ingest.listen();
    this.options.log.info(`RTMP ingest listening on ${this.options.rtmp.host}:${this.boundPort}`);
  }

  async stop(): Promise<void> {
    await this.ingest?.close();
    this.ingest = undefined;
    await Promise.all([...this.packaging.keys()].map((id) => this.onUnpublish(id)));
  }

  /** The bound port (differs from the configured one when that is 0). */
  get port(): number {
    return this.boundPort;
  }

  /** The RTMP URL without key (sync: the local endpoint is the same for every channel). */
  rtmpUrl(): string {
    return `rtmp://${this.options.rtmp.host}:${this.boundPort}/${INGEST_APP}`;
  }

  /** What the owner types into their encoder: reachable from their machine, not the bind address. */
  async ingestEndpoint(): Promise<IngestEndpoint> {
    return { url: advertisedRtmpUrl(this.options.rtmp.host, this.boundPort, this.options.publicUrl), streamName: null };
  }

  playbackUrl(sessionId: string, nowS = Math.floor(Date.now() / 1000)): string {
    const prefix = `/media/live/${sessionId}/`;
    const query = signMediaGrant({ prefix, expiresAt: nowS + this.options.urlTtlS }, this.options.urlSecret);
    return `${this.options.publicUrl.replace(/\/$/, "")}${prefix}master.m3u8?${query}`;
  }

  /** Delivery carries the URL's grant into every playlist it serves: no cookies needed. */
  playbackCookies(): null {
    return null;
  }

  async endSession(sessionId: string): Promise<RecordingHandover | null> {
    for (const [connectionId, p] of this.packaging) if (p.sessionId === sessionId) await this.onUnpublish(connectionId);
    await Promise.all(this.pendingExits.get(sessionId) ?? []);
    this.pendingExits.delete(sessionId);
    // The grace period is over, so no player still needs the live window; the recording is what stays.
    rmSync(join(this.options.mediaRoot, "live", sessionId), { recursive: true, force: true });
    const dir = join(this.options.mediaRoot, "recordings", sessionId);
    if (!existsSync(dir)) return null;
    const parts = readdirSync(dir)
      .filter((f) => /^part-\d+\.ts$/.test(f))
      .sort();
    const output = join(dir, "source.mp4");
    if (parts.length === 0) {
      // Joined before a restart interrupted the handover: hand over what is there.
      if (!existsSync(output)) return null;
      const probed = await probeMedia(ffprobePathFor(this.options.ffmpegPath), output);
      return { storageKey: `recordings/${sessionId}/source.mp4`, durationS: Math.round(probed.durationS * 10) / 10 };
    }
    const listFile = join(dir, "parts.txt");
    writeFileSync(listFile, parts.map((p) => `file '${join(dir, p)}'`).join("\n") + "\n");
    try {
      await runFfmpegToEnd(this.options.ffmpegPath, buildConcatArgs(listFile, output));
    } catch (err) {
      this.options.log.warn(`Recording of session ${sessionId} could not be finalized: ${(err as Error).message}`);
      return null;
    }
    const probe = await probeMedia(ffprobePathFor(this.options.ffmpegPath), output);
    // The MP4 is the recording now; parts would only double the disk use.
    for (const p of parts) rmSync(join(dir, p), { force: true });
    rmSync(listFile, { force: true });
    return { storageKey: `recordings/${sessionId}/source.mp4`, durationS: Math.round(probe.durationS * 10) / 10 };
  }

  recordingParts(sessionId: string): string[] {
    const dir = join(this.options.mediaRoot, "recordings", sessionId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /^part-\d+\.ts$/.test(f))
      .sort()
      .map((f) => `recordings/${sessionId}/${f}`);
  }

  dropPublisher(sessionId: string): void {
    for (const p of this.packaging.values()) if (p.sessionId === sessionId) p.disconnect();
  }

  private async onPublish(publish: IngestPublish<IngestAuthorization>): Promise<void> {
    const callbacks = this.callbacks;
    if (!callbacks) return publish.disconnect();
    let assignment;
    try {
      assignment = await callbacks.publishStarted({ ...publish.authorization, connectionId: publish.connectionId });
    } catch (err) {
      this.options.log.warn(
        `Publish for channel ${publish.authorization.channelId} refused: ${(err as Error).message}`,
      );
      return publish.disconnect();
    }
    const { sessionId, resumed } = assignment;
    if (!publish.connected()) {
      // Gone while the session was being opened: let the grace period run.
      callbacks.publishStopped({ sessionId, connectionId: publish.connectionId });
      return;
    }
    // One packager per session: a newer publisher (e.g. the new key while the old connection lingers) replaces the older one.
    for (const older of [...this.packaging.values()].filter((p) => p.sessionId === sessionId)) {
      older.disconnect();
      await this.onUnpublish(older.connectionId);
    }
    const outputDir = join(this.options.mediaRoot, "live", sessionId);
    const recordingDir = join(this.options.mediaRoot, "recordings", sessionId);
    mkdirSync(outputDir, { recursive: true });
    mkdirSync(recordingDir, { recursive: true });
    const partNumber = readdirSync(recordingDir).filter((f) => f.startsWith("part-")).length + 1;
    const meter = new IngestHealthMeter(Date.now());
    meter.setResolution(publish.media.width, publish.media.height);
    const job: LiveHlsJob = {
      outputDir,
      recordingPath: join(recordingDir, `part-${String(partNumber).padStart(4, "0")}.ts`),
      ladder: this.options.ladder,
      source: publish.media,
      segmentSeconds: this.options.segmentSeconds,
      playlistSize: this.options.playlistSize,
      resume: resumed && existsSync(join(outputDir, "source", "index.m3u8")),
      preset: this.options.preset,
    };
    const args = buildLiveHlsArgs(job);
    // Written before the first segment exists; players retry variant playlists until they appear.
    writeFileSync(join(outputDir, "master.m3u8"), buildMasterPlaylist(liveVariants(job)));
    const ffmpeg = runFfmpeg(this.options.ffmpegPath, args, (progress) =>
      meter.setDroppedFrames(progress.droppedFrames),
    );
    const unsubscribe = publish.subscribe((tag) => {
      meter.record(readFlvTag(tag));
      // Backpressure: a packager that cannot keep up drops input rather than buffering without bound.
      if (ffmpeg.stdin.writableLength < 16 * 1024 * 1024) ffmpeg.stdin.write(tag);
    });
    const healthTimer = setInterval(
      () => callbacks.healthSampled({ sessionId, sample: meter.sample(Date.now()) }),
      this.options.healthIntervalMs,
    );
    healthTimer.unref();
    this.packaging.set(publish.connectionId, {
      sessionId,
      connectionId: publish.connectionId,
      disconnect: () => publish.disconnect(),
      ffmpeg,
      unsubscribe,
      healthTimer,
    });
    const exits = this.pendingExits.get(sessionId) ?? [];
    exits.push(ffmpeg.exited);
    this.pendingExits.set(sessionId, exits);
    void ffmpeg.exited.then(({ code, stderr }) => {
      if (code !== 0 && this.packaging.has(publish.connectionId)) {
        // The packager died under a live publisher: drop it so the broadcaster reconnects into a fresh run.
        this.options.log.warn(
          `Live packager for session ${sessionId} exited with ${code}: ${stderr.trim().slice(-500)}`,
        );
        callbacks.packagerFailed?.({ sessionId, exitCode: code });
        publish.disconnect();
      }
    });
  }

  private async onUnpublish(connectionId: string): Promise<void> {
    const p = this.packaging.get(connectionId);
    if (!p) return;
    this.packaging.delete(connectionId);
    clearInterval(p.healthTimer);
    p.unsubscribe();
    this.callbacks?.publishStopped({ sessionId: p.sessionId, connectionId });
    await p.ffmpeg.finish();
  }
}
