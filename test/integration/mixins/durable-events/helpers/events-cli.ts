/** Runs `npm run events -- …` (bin/arena-events.ts through tsx) and resolves with its output; rejects on a non-zero exit. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { createTempDir } from "../../../../helpers/infra";

const ROOT = join(__dirname, "..", "..", "..", "..", "..");

export async function runEventsCli(args: string[], env: Record<string, string>): Promise<string> {
  const dataDir = createTempDir("arena-events-cli-");
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ["--import", "tsx", join(ROOT, "bin", "arena-events.ts"), ...args],
        {
          cwd: ROOT,
          env: { ...process.env, ARENA_MODE: "embedded", DATA_DIR: dataDir.path, LOG_LEVEL: "warn", ...env },
          timeout: 60000,
        },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout)),
      );
    });
  } finally {
    dataDir.remove();
  }
}
