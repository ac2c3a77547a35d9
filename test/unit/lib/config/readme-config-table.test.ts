import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configTable } from "../../../../scripts/config-table";

describe("README configuration table", () => {
  it("is exactly the table generated from lib/config/settings.ts (run `npx tsx scripts/build-readme.ts`)", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "..", "README.md"), "utf8");
    expect(readme).toContain(configTable());
  });
});
