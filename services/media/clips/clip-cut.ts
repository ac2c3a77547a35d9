/**
 * How a clip is cut, decided from the keyframes around its start: when one
 * lies within `toleranceS` of the start, the clip starts there and is a
 * stream copy (no decoding: a 60 s clip takes well under a second); when
 * none does (long GOPs, an encoder with sparse keyframes), copying would
 * begin on a frame that cannot be decoded, so the clip is re-encoded from
 * the exact start. Pure: the worker runs ffprobe/ffmpeg with these.
 */
import type { CutMethod } from "./clip.types";

export interface CutPlan {
  method: CutMethod;
  /** Where the clip starts in the input, s. */
  seekS: number;
  durationS: number;
}

export const MIN_CLIP_S = 5;
export const MAX_CLIP_S = 60;

/** The keyframe closest to `startS` within the tolerance, preferring one at or before it. */
export function planCut(keyframesS: readonly number[], startS: number, durationS: number, toleranceS: number): CutPlan {
  let best: number | null = null;
  for (const k of keyframesS) {
    const distance = Math.abs(k - startS);
    if (distance > toleranceS + 1e-6) continue;
    const better =
      best === null ||
      distance < Math.abs(best - startS) - 1e-6 ||
      (Math.abs(distance - Math.abs(best - startS)) <= 1e-6 && k < best);
    if (better) best = k;
  }
  if (best === null) return { method: "reencode", seekS: startS, durationS };
  return { method: "copy", seekS: Math.max(0, best), durationS };
}

const fixed = (s: number): string => s.toFixed(3);

/** ffprobe arguments listing keyframe times of the first video stream between `fromS` and `toS`. */
export function keyframeProbeArgs(input: string, fromS: number, toS: number): string[] {
  return [
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-skip_frame",
    "nokey",
    "-show_entries",
    "frame=pts_time,best_effort_timestamp_time",
    "-of",
    "csv=p=0",
    "-read_intervals",
    `${fixed(Math.max(0, fromS))}%${fixed(toS)}`,
    input,
  ];
}

/** Keyframe times from keyframeProbeArgs output (one or two columns per line; empty/N/A skipped). */
export function parseKeyframeTimes(output: string): number[] {
  const times: number[] = [];
  for (const line of output.split(/\r?\n/)) {
    const value = line
      .split(",")
      .map((v) => Number.parseFloat(v))
      .find((v) => Number.isFinite(v));
    if (value !== undefined) times.push(value);
  }
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * The ffmpeg command for a plan. Input seeking (-ss before -i) lands on the
 * keyframe for a copy and decodes from the previous keyframe for a
 * re-encode (accurate seek). MP4 with faststart so players start at once.
 * `startOffsetS` is the input's first timestamp (MPEG-TS parts rarely start
 * at 0): probe times are absolute, -ss is relative to it.
 */
export function buildClipArgs(
  input: string,
  plan: CutPlan,
  output: string,
  preset: string,
  startOffsetS = 0,
): string[] {
  const args = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"];
  args.push("-ss", fixed(Math.max(0, plan.seekS - startOffsetS)), "-i", input, "-t", fixed(plan.durationS));
  args.push("-map", "0:v:0", "-map", "0:a:0?");
  if (plan.method === "copy") args.push("-c", "copy", "-avoid_negative_ts", "make_zero");
  else args.push("-c:v", "libx264", "-preset", preset, "-crf", "23", "-c:a", "aac", "-b:a", "128k");
  args.push("-movflags", "+faststart", "-f", "mp4", output);
  return args;
}

/** One JPEG from the first second of the clip, 320 px wide. */
export function buildThumbnailArgs(clipFile: string, output: string): string[] {
  return [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-y",
    "-ss",
    "0.5",
    "-i",
    clipFile,
    "-frames:v",
    "1",
    "-vf",
    "scale=320:-2",
    output,
  ];
}
