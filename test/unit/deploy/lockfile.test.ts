/**
 * `npm install` on a fresh clone used to rewrite package-lock.json (the
 * engines range), so a newcomer's first command left a diff behind. npm
 * re-derives the lockfile from package.json here, in a scratch copy, and it
 * must come out byte for byte the same as the committed one.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir } from "../../helpers/infra";

const ROOT = join(__dirname, "..", "..", "..");

it("package-lock.json is what npm install would write for package.json", () => {
  const dir = createTempDir("arena-lock-");
  try {
    for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(ROOT, file), join(dir.path, file));
    // Workspaces are part of the tree the lockfile describes.
    const workspaces = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces?: string[] })
      .workspaces;
    for (const ws of workspaces ?? []) {
      mkdirSync(join(dir.path, ws), { recursive: true });
      copyFileSync(join(ROOT, ws, "package.json"), join(dir.path, ws, "package.json"));
    }
    const run = spawnSync(
      "npm",
      ["install", "--package-lock-only", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"],
      { cwd: dir.path, encoding: "utf8", timeout: 120000 },
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir.path, "package-lock.json"), "utf8")).toBe(
      readFileSync(join(ROOT, "package-lock.json"), "utf8"),
    );
  } finally {
    dir.remove();
  }
}, 150000);
