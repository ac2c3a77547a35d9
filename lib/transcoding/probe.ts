import { spawn } from "node:child_process";

export interface MediaProbe {
  formatName: string;
  durationS: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width: number;
  height: number;
  videoCodec?: string;
  /** Frames per second of the video stream, 0 when unknown. */
  fps: number;
}

interface FfprobeJson {
  format?: { format_name?: string; duration?: string };
  streams?: {
    codec_type?: string;
    codec_name?: string;
    width?: number;
    height?: number;
    duration?: string;
    avg_frame_rate?: string;
    r_frame_rate?: string;
  }[];
}

/** ffprobe's path next to the configured ffmpeg (same install), or from PATH. */
export function ffprobePathFor(ffmpegPath: string): string {
  return ffmpegPath.endsWith("ffmpeg") ? `${ffmpegPath.slice(0, -"ffmpeg".length)}ffprobe` : "ffprobe";
}

/**
 * Reads container and stream facts. Rejects when ffprobe cannot parse the
 * input at all (truncated MP4 without its index, random bytes): callers turn
 * that into "not a playable video".
 */
export async function probeMedia(input: string, ffprobePath = "ffprobe", timeoutMs = 30000): Promise<MediaProbe> {
  const args = ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", input];
  const { stdout, stderr, code } = await run(ffprobePath, args, timeoutMs);
  if (code !== 0) throw new Error(`ffprobe failed: ${lastLine(stderr) || `exit ${code}`}`);
  return parseProbe(JSON.parse(stdout) as FfprobeJson);
}

export function parseProbe(json: FfprobeJson): MediaProbe {
  const streams = json.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video");
  const audio = streams.find((s) => s.codec_type === "audio");
  const duration = Number(json.format?.duration ?? video?.duration ?? 0);
  return {
    formatName: json.format?.format_name ?? "unknown",
    durationS: Number.isFinite(duration) ? duration : 0,
    hasVideo: !!video,
    hasAudio: !!audio,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    videoCodec: video?.codec_name,
    fps: parseRate(video?.avg_frame_rate) || parseRate(video?.r_frame_rate),
  };
}

/** "30000/1001" → 29.97; "0/0" or junk → 0. */
export function parseRate(rate: string | undefined): number {
  const [num, den] = (rate ?? "").split("/").map(Number);
  if (!num || !Number.isFinite(num)) return 0;
  const value = den ? num / den : num;
  return Number.isFinite(value) ? value : 0;
}

export function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).pop()?.trim() ?? "";
}

/** Runs a tool, collecting output; kills it on timeout or abort (no orphan ffmpeg). */
export function run(
  command: string,
  args: string[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    // Keep only the tail: ffmpeg can be chatty and only the end explains a failure.
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
    const kill = (): void => {
      child.kill("SIGKILL");
    };
    const timer = setTimeout(kill, timeoutMs);
    signal?.addEventListener("abort", kill, { once: true });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", kill);
      resolve({ stdout, stderr, code });
    });
  });
}
