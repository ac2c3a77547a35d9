import { readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** Every `<name>.service.{js,ts}` under a folder, keyed by service file name. */
export function findServiceFiles(root: string, extension: ".js" | ".ts"): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(`.service${extension}`) && !entry.endsWith(".d.ts")) {
        found.set(basename(entry, `.service${extension}`), full);
      }
    }
  };
  walk(root);
  return found;
}

/**
 * Resolves ARENA_SERVICES (comma list, or empty for all) to files, failing
 * fast on a name that does not exist so a typo never starts an empty node.
 */
export function selectServiceFiles(available: Map<string, string>, wanted: string[]): string[] {
  if (wanted.length === 0) return [...available.values()].sort();
  const unknown = wanted.filter((name) => !available.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown service(s) in ARENA_SERVICES: ${unknown.join(", ")}. Known: ${[...available.keys()].sort().join(", ")}`,
    );
  }
  return wanted.map((name) => available.get(name) as string);
}
