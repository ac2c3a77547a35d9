import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * A tiny real clip made by ffmpeg (test pattern + tone): 2 s, 320x240,
 * ultrafast, because the CI machine has two shared cores.
 */
export function makeClip(
  dir: string,
  opts: { name?: string; seconds?: number; audio?: boolean; container?: "mp4" | "webm" } = {},
): string {
  const container = opts.container ?? "mp4";
  const output = join(dir, opts.name ?? `clip.${container}`);
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=320x240:rate=15:duration=${opts.seconds ?? 2}`,
  ];
  if (opts.audio !== false)
    args.push("-f", "lavfi", "-i", `sine=frequency=440:sample_rate=22050:duration=${opts.seconds ?? 2}`);
  if (container === "mp4") args.push("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
  else args.push("-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k");
  if (opts.audio !== false) args.push("-c:a", container === "mp4" ? "aac" : "libopus", "-shortest");
  args.push(output);
  execFileSync("ffmpeg", args);
  return output;
}
