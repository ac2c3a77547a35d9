import type { SettingSpec } from "../setting-spec";

/** Where settings are also read from Vault KV v2. */
export const VAULT_SETTINGS = [
  {
    env: "VAULT_ADDR",
    kind: "url",
    production: "https://vault:8200",
    description: "when set, settings are also read from Vault KV v2",
  },
  {
    env: "VAULT_TOKEN",
    kind: "string",
    secret: true,
    production: "from the Vault agent",
    description: "Vault token (only with VAULT_ADDR)",
  },
  {
    env: "VAULT_KV_PATH",
    kind: "string",
    embedded: "secret/data/arena",
    production: "secret/data/arena",
    description: "KV v2 path whose keys are setting names",
  },
] as const satisfies readonly SettingSpec[];
