/**
 * `npm run demo` on a machine without ffmpeg used to crash with a stack
 * trace whose spawn arguments printed the RTMP URL with the stream key. It
 * now stops before creating anything, with one line saying what to install.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..");

describe("npm run demo without ffmpeg", () => {
  it("fails with one clear line: no stack, no URL, no key", () => {
    const run = spawnSync(join(ROOT, "node_modules", ".bin", "tsx"), ["scripts/demo-journey.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        FFMPEG_PATH: "/nonexistent/bin/ffmpeg",
        // Nothing listens here: the demo must not get as far as calling the API.
        ARENA_API: "http://127.0.0.1:9",
      },
    });
    expect(run.status).toBe(1);
    const output = `${run.stdout}${run.stderr}`.trim();
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toMatch(/^✘ \/nonexistent\/bin\/ffmpeg is not installed or does not run: .*apt-get install ffmpeg/);
    expect(output).not.toMatch(/\n\s+at |rtmp:|live_/);
  });
});
