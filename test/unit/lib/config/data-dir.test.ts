import { chmodSync, mkdirSync, readdirSync, lstatSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { secureDataDir } from "../../../../lib/config/data-dir";
import { createTempDir, type TempDir } from "../../../helpers/infra";

/** Every entry under `root` (not following symlinks) whose mode gives group or others any access. */
function readableByOthers(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(root);
  return found;
}

describe("secureDataDir", () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = createTempDir("arena-datadir-");
  });
  afterEach(() => tmp.remove());

  it("creates a missing DATA_DIR owner-only when asked, and leaves it alone otherwise", () => {
    const dir = join(tmp.path, "nested", "data");
    expect(secureDataDir(dir, { create: false })).toBe(0);
    expect(() => statSync(dir)).toThrow();
    secureDataDir(dir, { create: true });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("fixes an existing data dir left world-readable and world-writable (as PGlite wrote it)", () => {
    const dir = join(tmp.path, "data");
    mkdirSync(join(dir, "pglite", "base", "1"), { recursive: true });
    const files = ["secrets.json", "pglite/PG_VERSION", "pglite/base/1/1259", "media/live/a.ts"];
    mkdirSync(join(dir, "media", "live"), { recursive: true });
    for (const f of files) {
      writeFileSync(join(dir, f), "x");
      chmodSync(join(dir, f), 0o666);
    }
    for (const d of ["", "pglite", "pglite/base", "pglite/base/1", "media", "media/live"])
      chmodSync(join(dir, d), 0o777);
    // A symlink out of DATA_DIR is not followed: the file it points at is not ours to change.
    const outside = join(tmp.path, "outside.txt");
    writeFileSync(outside, "x");
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(dir, "media", "link"));

    expect(secureDataDir(dir, { create: false })).toBe(files.length + 6);
    expect(readableByOthers(dir)).toEqual([]);
    expect(statSync(join(dir, "pglite", "base", "1", "1259")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "pglite")).mode & 0o777).toBe(0o700);
    expect(statSync(outside).mode & 0o777).toBe(0o644);
    expect(secureDataDir(dir, { create: false })).toBe(0);
  });
});
