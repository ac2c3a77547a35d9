/**
 * Prints the README's configuration table from lib/config/settings.ts, so the
 * documented settings are exactly the ones the code reads. A unit test
 * checks that README.md contains this output.
 */
import { SETTINGS, type SettingSpec } from "../lib/config/settings";

export function configTable(): string {
  const rows = SETTINGS.map((s: SettingSpec) => {
    const embedded = s.generated ? "generated, kept in DATA_DIR/secrets.json" : (s.embedded ?? "unset");
    return `| \`${s.env}\` | ${s.description} | ${embedded} | ${s.production} |`;
  });
  return ["| variable | what it sets | embedded default | production |", "|---|---|---|---|", ...rows].join("\n");
}

if (require.main === module) console.log(configTable());
