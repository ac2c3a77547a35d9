import { execFile } from "node:child_process";
import { basename, dirname, join } from "node:path";

/** ffprobe lives next to ffmpeg (Debian's package ships both). */
export function ffprobePathFor(ffmpegPath: string): string {
  const name = basename(ffmpegPath).replace(/ffmpeg/, "ffprobe");
  return ffmpegPath.includes("/") ? join(dirname(ffmpegPath), name) : name;
}

export interface ProbeResult {
  durationS: number;
  formatName: string;
  streams: { codecType: string; codecName: string; width?: number; height?: number }[];
}

/** Probes a file or URL; rejects when ffprobe cannot read it (that is the point in tests). */
export function probeMedia(ffprobePath: string, input: string, timeoutMs = 20000): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(
      ffprobePath,
      ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", input],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`ffprobe failed for ${input}: ${stderr.trim() || err.message}`));
        try {
          const parsed = JSON.parse(stdout) as {
            format?: { duration?: string; format_name?: string };
            streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number }[];
          };
          resolve({
            durationS: Number.parseFloat(parsed.format?.duration ?? "0") || 0,
            formatName: parsed.format?.format_name ?? "",
            streams: (parsed.streams ?? []).map((s) => ({
              codecType: s.codec_type ?? "",
              codecName: s.codec_name ?? "",
              width: s.width,
              height: s.height,
            })),
          });
        } catch (parseErr) {
          reject(new Error(`ffprobe gave unreadable output for ${input}: ${(parseErr as Error).message}`));
        }
      },
    );
  });
}
