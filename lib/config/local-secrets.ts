import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Embedded mode only: secrets are generated once and persisted under DATA_DIR,
 * so restarts keep tokens and signed URLs valid while no secret is ever
 * hard-coded in the source.
 */
export function loadOrCreateLocalSecrets(dataDir: string, names: readonly string[]): Record<string, string> {
  const file = join(dataDir, "secrets.json");
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  let changed = false;
  for (const name of names) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString("base64url");
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Nodes of one machine may boot together on one DATA_DIR: write a temporary file and rename it over the old
    // one, so a node reading at the same moment sees the old or the new file whole, never an empty one.
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  }
  return stored;
}
