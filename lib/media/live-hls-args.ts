import { join } from "node:path";
import {
  SOURCE_RENDITION_NAME,
  renditionsForSource,
  scaledWidth,
  variantBandwidth,
  type Rendition,
} from "./hls-ladder";

/**
 * ffmpeg arguments for one live packaging run: FLV on stdin (the RTMP
 * publish, fed by the ingest), out to an HLS ladder (source copy + scaled
 * renditions; the master playlist comes from buildMasterPlaylist) and a copy of the source into an MPEG-TS
 * recording part. MPEG-TS rather than MP4 for the recording because a
 * crash or kill leaves a readable file (MP4 needs its moov atom written).
 */
export interface LiveHlsJob {
  /** `${mediaRoot}/live/<sessionId>`: master.m3u8 and one folder per variant. */
  outputDir: string;
  /** Recording part file (…/recordings/<sessionId>/part-0001.ts). */
  recordingPath: string;
  ladder: readonly Rendition[];
  source: { width: number; height: number; hasAudio: boolean };
  /** Seconds per HLS segment. */
  segmentSeconds: number;
  /** Segments kept in live playlists (the recording keeps everything). */
  playlistSize: number;
  /** true on a reconnect within the grace period: continue the playlists. */
  resume: boolean;
  /** x264 preset for renditions; "ultrafast" on small machines and in tests. */
  preset: string;
}

export interface VariantInfo {
  name: string;
  width: number;
  height: number;
  copiesSource: boolean;
  /** BANDWIDTH for the master playlist, bits/s. */
  bandwidth: number;
}

/**
 * The source copy's bitrate is unknown when packaging starts (encoders
 * rarely announce it), so it is estimated from its height; players only
 * use BANDWIDTH to order and pick variants, and the source must sort first.
 */
export function estimateSourceKbps(height: number): number {
  if (height >= 1080) return 6000;
  if (height >= 720) return 4500;
  if (height >= 480) return 2500;
  return 1200;
}

/** Variants a job produces, in master-playlist order. */
export function liveVariants(job: Pick<LiveHlsJob, "ladder" | "source">): VariantInfo[] {
  const scaled = renditionsForSource(job.ladder, job.source.height, true).map((r) => ({
    name: r.name,
    width: scaledWidth(job.source.width, job.source.height, r.height),
    height: r.height,
    copiesSource: false,
    bandwidth: variantBandwidth(r),
  }));
  const sourceBandwidth = variantBandwidth({
    videoKbps: estimateSourceKbps(job.source.height),
    audioKbps: job.source.hasAudio ? 128 : 0,
  });
  const source = {
    name: SOURCE_RENDITION_NAME,
    width: job.source.width,
    height: job.source.height,
    copiesSource: true,
    bandwidth: sourceBandwidth,
  };
  return [source, ...scaled];
}

/**
 * We write the master playlist ourselves: ffmpeg's own leaves out a copied
 * variant whose bitrate it cannot tell, which is exactly the source copy.
 */
export function buildMasterPlaylist(variants: VariantInfo[]): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const v of variants) {
    const resolution = v.width && v.height ? `,RESOLUTION=${v.width}x${v.height}` : "";
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth}${resolution}`, `${v.name}/index.m3u8`);
  }
  return lines.join("\n") + "\n";
}

export function buildLiveHlsArgs(job: LiveHlsJob): string[] {
  const renditions = renditionsForSource(job.ladder, job.source.height, true);
  const args = ["-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-f", "flv", "-i", "pipe:0"];

  if (renditions.length > 0) {
    const labels = renditions.map((_, i) => `[v${i}]`).join("");
    const scales = renditions.map(
      (r, i) => `[v${i}]scale=${scaledWidth(job.source.width, job.source.height, r.height)}:${r.height}[v${i}o]`,
    );
    args.push("-filter_complex", [`[0:v]split=${renditions.length}${labels}`, ...scales].join(";"));
  }

  // Variant 0 is the source, copied: it costs no CPU and keeps full quality.
  args.push("-map", "0:v:0");
  if (job.source.hasAudio) args.push("-map", "0:a:0");
  renditions.forEach((_, i) => {
    args.push("-map", `[v${i}o]`);
    if (job.source.hasAudio) args.push("-map", "0:a:0");
  });

  args.push("-c:v:0", "copy");
  if (job.source.hasAudio) args.push("-c:a:0", "copy");
  // A keyframe at every segment boundary so renditions switch cleanly.
  const gopFrames = `expr:gte(t,n_forced*${job.segmentSeconds})`;
  renditions.forEach((r, i) => {
    const v = i + 1;
    args.push(
      `-c:v:${v}`,
      "libx264",
      `-preset:v:${v}`,
      job.preset,
      `-tune:v:${v}`,
      "zerolatency",
      `-b:v:${v}`,
      `${r.videoKbps}k`,
      `-maxrate:v:${v}`,
      `${Math.round(r.videoKbps * 1.1)}k`,
      `-bufsize:v:${v}`,
      `${r.videoKbps * 2}k`,
      `-force_key_frames:v:${v}`,
      gopFrames,
      `-sc_threshold:v:${v}`,
      "0",
    );
    if (job.source.hasAudio) args.push(`-c:a:${v}`, "aac", `-b:a:${v}`, `${r.audioKbps}k`, `-ac:a:${v}`, "2");
  });

  const variants = liveVariants(job);
  const streamMap = variants
    .map((variant, i) => `v:${i}${job.source.hasAudio ? `,a:${i}` : ""},name:${variant.name}`)
    .join(" ");
  const flags = ["independent_segments", "delete_segments", "program_date_time"];
  if (job.resume) flags.push("append_list", "discont_start");
  args.push(
    "-f",
    "hls",
    "-hls_time",
    String(job.segmentSeconds),
    "-hls_list_size",
    String(job.playlistSize),
    "-hls_delete_threshold",
    "2",
    "-hls_flags",
    flags.join("+"),
    "-hls_segment_type",
    "mpegts",
    "-var_stream_map",
    streamMap,
    "-hls_segment_filename",
    join(job.outputDir, "%v", "seg_%05d.ts"),
    join(job.outputDir, "%v", "index.m3u8"),
  );

  // The recording: the untouched source, for VOD.
  args.push("-map", "0:v:0");
  if (job.source.hasAudio) args.push("-map", "0:a:0");
  args.push("-c", "copy", "-f", "mpegts", job.recordingPath);
  return args;
}

/** Joins recording parts (one per publish within a session) into one MP4. */
export function buildConcatArgs(listFile: string, outputPath: string): string[] {
  return [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "concat",
    "-safe",
    "0",
    "-i",
    listFile,
    "-c",
    "copy",
    "-bsf:a",
    "aac_adtstoasc",
    "-movflags",
    "+faststart",
    outputPath,
  ];
}
