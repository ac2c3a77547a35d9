import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { newP256PrivateKey } from "../auth/p256-private-key";

/**
 * Secrets that are not just 32 random bytes. VAPID's is a P-256 private key: a random value can be zero or not
 * below the curve's order (about once in 2^32), and a saved bad key would stop the node at every start. ECDH
 * draws a valid scalar; it is written at its full 32-byte width (Node drops leading zero bytes).
 */
const SECRET_MAKERS: Record<string, () => string> = { VAPID_PRIVATE_KEY: newP256PrivateKey };

/** A new value for the named secret. */
export function makeLocalSecret(name: string): string {
  return SECRET_MAKERS[name]?.() ?? randomBytes(32).toString("base64url");
}

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
      stored[name] = makeLocalSecret(name);
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
