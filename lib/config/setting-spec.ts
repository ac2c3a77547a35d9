/**
 * The shape of one row of the settings table (lib/config/settings.ts).
 *
 * `embedded` is the default that makes `npm start` work on a bare machine;
 * `production` says what an operator sets instead. A `secret` setting has no
 * hard-coded default; a `generated` one is generated in embedded mode and
 * persisted under DATA_DIR, and in production mode boot fails unless env or
 * Vault provides it.
 */
export type SettingKind = "string" | "int" | "bool" | "list" | "url" | "enum";

export interface SettingSpec {
  env: string;
  kind: SettingKind;
  description: string;
  embedded?: string;
  production: string;
  secret?: boolean;
  /** A secret that embedded mode generates and keeps in DATA_DIR/secrets.json when it is not set. */
  generated?: boolean;
  choices?: readonly string[];
}
