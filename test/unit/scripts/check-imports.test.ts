/**
 * The repo's own import check (scripts/check-imports.mjs, run by `npm run
 * lint`): on small fixture trees, a cycle and a layer break each fail it,
 * and a clean tree passes.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createTempDir, type TempDir } from "../../helpers/infra";

const SCRIPT = resolve(__dirname, "../../../scripts/check-imports.mjs");

function tree(files: Record<string, string>): TempDir {
  const dir = createTempDir("arena-imports-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir.path, path)), { recursive: true });
    writeFileSync(join(dir.path, path), text);
  }
  return dir;
}

function check(dir: TempDir): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: dir.path, encoding: "utf8" });
  return { status: run.status, out: run.stdout };
}

describe("check-imports (lint): no cycles, layers point one way", () => {
  const dirs: TempDir[] = [];
  afterAll(() => dirs.forEach((d) => d.remove()));
  const make = (files: Record<string, string>) => {
    const dir = tree(files);
    dirs.push(dir);
    return dir;
  };

  it("passes a tree whose imports go down the layers without cycles", () => {
    const dir = make({
      "lib/a.ts": "export const a = 1;\n",
      "mixins/m/index.ts": 'import { a } from "../../lib/a";\nexport const m = a;\n',
      "services/x/x.service.ts": 'import { m } from "../../mixins/m";\nimport "./x.contract";\nexport default m;\n',
      "services/x/x.contract.ts": "// import { nothing } from './x.service';\nexport {};\n",
      "bin/node.ts": 'import x from "../services/x/x.service";\nexport { x };\n',
    });
    expect(check(dir)).toEqual({ status: 0, out: "" });
  });

  it("fails on a cycle, type-only and side-effect imports included", () => {
    const dir = make({
      "services/x/x.service.ts": 'import type { T } from "./x.context";\nexport const s: T = 1;\n',
      "services/x/x.context.ts": 'import "./actions";\nexport type T = number;\n',
      "services/x/actions.ts": 'export { s } from "./x.service";\n',
    });
    const { status, out } = check(dir);
    expect(status).toBe(1);
    expect(out).toContain("cycle: services/x/actions.ts <-> services/x/x.context.ts <-> services/x/x.service.ts");
  });

  it("fails when lib imports mixins or services, or mixins import services", () => {
    const dir = make({
      "lib/a.ts": 'import type { M } from "../mixins/m";\nexport type A = M;\n',
      "mixins/m.ts": 'import { s } from "../services/s/s";\nexport type M = typeof s;\n',
      "services/s/s.ts": "export const s = 1;\n",
    });
    const { status, out } = check(dir);
    expect(status).toBe(1);
    expect(out).toContain("layer: lib/a.ts (lib/) imports mixins/m.ts (mixins/)");
    expect(out).toContain("layer: mixins/m.ts (mixins/) imports services/s/s.ts (services/)");
  });

  it("the repository itself passes", () => {
    const run = spawnSync(process.execPath, [SCRIPT], { cwd: resolve(__dirname, "../../.."), encoding: "utf8" });
    expect(run.stdout).toBe("");
    expect(run.status).toBe(0);
  });
});
