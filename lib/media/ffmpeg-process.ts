import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

/**
 * A running ffmpeg with `-progress pipe:1`: progress blocks are parsed into
 * typed snapshots, stderr is kept (bounded) for the error message, and the
 * exit is a promise so callers never poll the process.
 */
export interface FfmpegProgress {
  frame: number;
  fps: number;
  /** kbit/s of the first output, as ffmpeg reports it. */
  bitrateKbps: number;
  droppedFrames: number;
  duplicatedFrames: number;
  outTimeS: number;
  speed: number;
}

export interface FfmpegRun {
  readonly pid: number | undefined;
  readonly stdin: Writable;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  lastProgress(): FfmpegProgress | undefined;
  /** Ends stdin so ffmpeg flushes and finalizes its outputs, then waits. */
  finish(timeoutMs?: number): Promise<void>;
  kill(): void;
}

const STDERR_KEEP = 8000;

export function parseProgressBlock(lines: string[]): FfmpegProgress {
  const values = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const num = (key: string): number => {
    const parsed = Number.parseFloat(values.get(key) ?? "");
    return Number.isFinite(parsed) ? parsed : 0;
  };
  return {
    frame: num("frame"),
    fps: num("fps"),
    bitrateKbps: num("bitrate"), // "1234.5kbits/s": parseFloat stops at the unit
    droppedFrames: num("drop_frames"),
    duplicatedFrames: num("dup_frames"),
    outTimeS: num("out_time_us") / 1e6,
    speed: num("speed"),
  };
}

export function runFfmpeg(
  ffmpegPath: string,
  args: string[],
  onProgress?: (progress: FfmpegProgress) => void,
): FfmpegRun {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(ffmpegPath, args, {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  let latest: FfmpegProgress | undefined;
  let pending: string[] = [];
  let partial = "";

  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      pending.push(line);
      if (line.startsWith("progress=")) {
        latest = parseProgressBlock(pending);
        pending = [];
        onProgress?.(latest);
      }
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP);
  });
  // The publisher may vanish mid-write; ffmpeg exiting first is not our error.
  child.stdin.on("error", () => undefined);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("error", (err) => resolve({ code: -1, signal: null, stderr: `${stderr}\n${err.message}` }));
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });

  return {
    pid: child.pid,
    stdin: child.stdin,
    exited,
    lastProgress: () => latest,
    async finish(timeoutMs = 15000) {
      if (!child.stdin.destroyed) child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      timer.unref();
      await exited;
      clearTimeout(timer);
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}

/** Runs ffmpeg to completion; rejects with its stderr on a non-zero exit. */
export async function runFfmpegToEnd(ffmpegPath: string, args: string[]): Promise<void> {
  const run = runFfmpeg(ffmpegPath, args);
  run.stdin.end();
  const { code, signal, stderr } = await run.exited;
  if (code !== 0) throw new Error(`ffmpeg exited with ${code ?? signal}: ${stderr.trim().slice(-2000)}`);
}
