import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * DATA_DIR holds the database, the signing-key secret and media: nobody but
 * the node's own user may read or write any of it. The node runs with umask
 * 077 (set at boot), so what it creates is 0700/0600; this also takes
 * group/other permissions off whatever an older version, another tool or an
 * extracted backup left under it (the attack run found 969 world-writable
 * PGlite files).
 */
export const OWNER_ONLY_UMASK = 0o077;

/**
 * Creates `dataDir` (0700) when asked, and strips group/other bits from it and
 * every file and directory under it. Symlinks are not followed. Returns how
 * many entries were changed; throws only when `dataDir` itself cannot be
 * secured.
 */
export function secureDataDir(dataDir: string, opts: { create: boolean }): number {
  if (!existsSync(dataDir)) {
    if (!opts.create) return 0;
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }
  let fixed = 0;
  const pending = [dataDir];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // removed while we walked (a live segment rotated out)
    }
    if (stat.isSymbolicLink()) continue;
    if ((stat.mode & 0o077) !== 0) {
      try {
        chmodSync(path, stat.mode & 0o700);
        fixed++;
      } catch (err) {
        if (path === dataDir) throw err;
      }
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) pending.push(join(path, name));
    }
  }
  return fixed;
}
