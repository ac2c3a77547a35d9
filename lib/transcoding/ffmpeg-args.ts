import { renditionsForSource, scaledWidth, variantBandwidth, type Rendition } from "../media/hls-ladder";

export interface PlannedRendition extends Rendition {
  width: number;
  bandwidth: number;
}

/**
 * Renditions for a source: the ladder without upscaling; a source smaller
 * than every rung still gets one rendition at its own (even) height so any
 * playable upload becomes a playable VOD.
 */
export function planRenditions(
  ladder: readonly Rendition[],
  source: { width: number; height: number },
): PlannedRendition[] {
  let chosen = renditionsForSource(ladder, source.height, false);
  if (chosen.length === 0) {
    const smallest = [...ladder].sort((a, b) => a.height - b.height)[0];
    const height = Math.max(2, Math.floor(source.height / 2) * 2);
    chosen = [{ ...(smallest ?? { videoKbps: 150, audioKbps: 48 }), name: `${height}p`, height }];
  }
  return chosen.map((r) => ({
    ...r,
    width: scaledWidth(source.width, source.height, r.height),
    bandwidth: variantBandwidth(r),
  }));
}

/**
 * One ffmpeg run for the whole ladder: decode once, split, scale and encode
 * each rung, and let the HLS muxer write the variant playlists and the master
 * playlist. Keyframes every 2 s so every rendition cuts segments at the same
 * points (players switch renditions cleanly).
 */
export function hlsLadderArgs(opts: {
  input: string;
  outputDir: string;
  renditions: PlannedRendition[];
  hasAudio: boolean;
  fps?: number;
  preset?: string;
}): string[] {
  const { renditions } = opts;
  const n = renditions.length;
  const gop = Math.max(1, Math.round((opts.fps && opts.fps > 0 ? opts.fps : 30) * 2));
  const split = `[0:v]split=${n}${renditions.map((_, i) => `[s${i}]`).join("")}`;
  const scales = renditions.map((r, i) => `[s${i}]scale=${r.width}:${r.height}[v${i}]`);
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-i",
    opts.input,
    "-filter_complex",
    [split, ...scales].join(";"),
  ];
  renditions.forEach((r, i) => {
    args.push("-map", `[v${i}]`);
    if (opts.hasAudio) args.push("-map", "0:a:0");
    args.push(
      `-b:v:${i}`,
      `${r.videoKbps}k`,
      `-maxrate:v:${i}`,
      `${Math.round(r.videoKbps * 1.2)}k`,
      `-bufsize:v:${i}`,
      `${r.videoKbps * 2}k`,
    );
    if (opts.hasAudio) args.push(`-b:a:${i}`, `${r.audioKbps}k`);
  });
  args.push(
    "-c:v",
    "libx264",
    "-preset",
    opts.preset ?? "veryfast",
    "-pix_fmt",
    "yuv420p",
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    "-sc_threshold",
    "0",
  );
  if (opts.hasAudio) args.push("-c:a", "aac", "-ac", "2");
  const streamMap = renditions
    .map((r, i) => (opts.hasAudio ? `v:${i},a:${i},name:${r.name}` : `v:${i},name:${r.name}`))
    .join(" ");
  args.push(
    "-f",
    "hls",
    "-hls_time",
    "2",
    "-hls_playlist_type",
    "vod",
    "-hls_segment_filename",
    `${opts.outputDir}/%v/seg_%03d.ts`,
    "-master_pl_name",
    "master.m3u8",
    "-var_stream_map",
    streamMap,
    `${opts.outputDir}/%v/index.m3u8`,
  );
  return args;
}

/** A poster frame a little into the video (frame 0 is often black). */
export function thumbnailArgs(opts: { input: string; output: string; atS: number; height: number }): string[] {
  return [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-ss",
    opts.atS.toFixed(2),
    "-i",
    opts.input,
    "-frames:v",
    "1",
    "-vf",
    `scale=-2:${opts.height}`,
    opts.output,
  ];
}
