import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../../lib/config";
import { configTable } from "../../../../scripts/config-table";
import { createTempDir } from "../../../helpers/infra";

describe("README configuration table", () => {
  it("is exactly the table generated from lib/config/settings.ts (run `npx tsx scripts/build-readme.ts`)", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "..", "README.md"), "utf8");
    expect(readme).toContain(configTable());
  });

  it('says "generated" for exactly the secrets embedded mode generates', async () => {
    const dir = createTempDir();
    try {
      await loadConfig({ DATA_DIR: dir.path });
      const stored = Object.keys(JSON.parse(readFileSync(join(dir.path, "secrets.json"), "utf8")) as object);
      const claimed = configTable()
        .split("\n")
        .filter((row) => row.includes("| generated, kept in DATA_DIR/secrets.json |"))
        .map((row) => /^\| `([A-Z0-9_]+)`/.exec(row)?.[1]);
      expect(claimed.sort()).toEqual(stored.sort());
      expect(claimed).not.toContain("VAULT_TOKEN");
      expect(claimed).not.toContain("CLOUDFRONT_PRIVATE_KEY");
    } finally {
      dir.remove();
    }
  });
});
