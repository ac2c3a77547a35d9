import type { BrokerOptions, ServiceBroker } from "moleculer";
import { initConfig } from "./lib/config";
import { OWNER_ONLY_UMASK, secureDataDir } from "./lib/config/data-dir";
import { buildBrokerOptions } from "./bin/broker-options";

/**
 * moleculer-runner calls this once at boot. Config is read (env, Vault) and
 * validated before any service starts; a bad value stops the node here.
 * Everything the node writes from here on (secrets, database, media) is
 * owner-only, and DATA_DIR left readable by an older version is fixed.
 */
export default async function moleculerConfig(): Promise<BrokerOptions> {
  process.umask(OWNER_ONLY_UMASK);
  const config = await initConfig();
  const fixed = secureDataDir(config.dataDir, { create: config.mode === "embedded" });
  const options = buildBrokerOptions(config);
  return {
    ...options,
    created(broker: ServiceBroker) {
      if (fixed > 0) broker.logger.info(`DATA_DIR ${config.dataDir}: made ${fixed} files and directories owner-only`);
      options.created?.(broker);
    },
  };
}
