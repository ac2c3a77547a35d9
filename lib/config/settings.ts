/**
 * Every setting Arena reads, in one table. The README's configuration table is
 * generated from this list (`npm run config:table`), so the two cannot drift.
 * The rows live in setting-groups/, one file per area, concatenated here in
 * the order the README shows them; what each field means is in setting-spec.ts.
 */
import { ANALYTICS_SETTINGS } from "./setting-groups/analytics";
import { CLUSTER_SETTINGS } from "./setting-groups/cluster";
import { GATEWAY_SETTINGS } from "./setting-groups/gateway";
import { IDENTITY_SETTINGS } from "./setting-groups/identity";
import { MEDIA_SETTINGS } from "./setting-groups/media";
import { NOTIFICATIONS_SETTINGS } from "./setting-groups/notifications";
import { OPERATIONS_SETTINGS } from "./setting-groups/operations";
import { VAULT_SETTINGS } from "./setting-groups/vault";
import type { SettingSpec } from "./setting-spec";

export type { SettingKind, SettingSpec } from "./setting-spec";

export const SETTINGS = [
  ...CLUSTER_SETTINGS,
  ...GATEWAY_SETTINGS,
  ...IDENTITY_SETTINGS,
  ...MEDIA_SETTINGS,
  ...ANALYTICS_SETTINGS,
  ...OPERATIONS_SETTINGS,
  ...NOTIFICATIONS_SETTINGS,
  ...VAULT_SETTINGS,
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]["env"];

/** The settings that must never have a hard-coded default. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTINGS.filter((s: SettingSpec) => s.secret === true).map(
  (s) => s.env,
);

/** The secrets embedded mode generates (DATA_DIR/secrets.json) when they are not set. */
export const GENERATED_SETTINGS: readonly SettingName[] = SETTINGS.filter((s: SettingSpec) => s.generated === true).map(
  (s) => s.env,
);
