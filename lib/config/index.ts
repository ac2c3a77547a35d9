import type { ArenaConfig } from "./arena-config";
import { loadConfig } from "./load-config";

export type { ArenaConfig } from "./arena-config";
export { loadConfig, ConfigError } from "./load-config";
export { SETTINGS } from "./settings";

let current: ArenaConfig | undefined;

/**
 * The process-wide config, read once at boot by moleculer.config.ts.
 * Services read it from here rather than from process.env, so every value
 * they see has been validated.
 */
export function getConfig(): ArenaConfig {
  if (!current) throw new Error("Config not loaded: call initConfig() at boot (moleculer.config.ts does)");
  return current;
}

export async function initConfig(env: NodeJS.ProcessEnv = process.env): Promise<ArenaConfig> {
  current = await loadConfig(env);
  return current;
}

/** Tests build configs for brokers with unusual settings. */
export function setConfig(config: ArenaConfig): void {
  current = config;
}
