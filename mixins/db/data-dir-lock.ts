/**
 * PGlite has no postmaster.pid: two processes opening one data dir would
 * both write it and corrupt it. A pid lock file makes the second one fail
 * with a clear message; a lock left by a crashed process is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock of `dir` for this process; returns the release function. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, "arena.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx", mode: 0o600 });
      return () => {
        try {
          if (readFileSync(file, "utf8").trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `Embedded database ${dir} is in use by process ${owner}; give each process its own DATA_DIR or set DATABASE_URL`,
        );
      }
      // Stale (crashed owner) or our own leftover: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock embedded database ${dir}`);
}
