import { spawn, type ChildProcess } from "node:child_process";

/**
 * A broadcaster: ffmpeg pushing a lavfi test pattern over RTMP, as the issue
 * describes (`-re -f lavfi -i testsrc ... -f flv rtmp://…/live/<key>`).
 */
export interface RtmpPush {
  process: ChildProcess;
  /** Resolves with the exit code once ffmpeg stops (refused, finished or killed). */
  exited: Promise<number | null>;
  stderr(): string;
  stop(): Promise<number | null>;
}

export function pushTestPattern(
  url: string,
  opts: { seconds?: number; size?: string; audio?: boolean } = {},
): RtmpPush {
  const args = [
    "-hide_banner",
    "-loglevel",
    "error",
    "-re",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=${opts.size ?? "320x180"}:rate=30`,
  ];
  if (opts.audio !== false) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
  args.push(
    "-t",
    String(opts.seconds ?? 60),
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-g",
    "60",
    "-pix_fmt",
    "yuv420p",
  );
  if (opts.audio !== false) args.push("-c:a", "aac", "-b:a", "64k");
  args.push("-f", "flv", url);
  const child = spawn("ffmpeg", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => stderr,
    async stop() {
      // SIGINT lets ffmpeg close the RTMP stream cleanly, like OBS's "Stop Streaming".
      if (child.exitCode === null) child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
