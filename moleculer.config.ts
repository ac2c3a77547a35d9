import type { BrokerOptions } from "moleculer";
import { initConfig } from "./lib/config";
import { buildBrokerOptions } from "./bin/broker-options";

/**
 * moleculer-runner calls this once at boot. Config is read (env, Vault) and
 * validated before any service starts; a bad value stops the node here.
 */
export default async function moleculerConfig(): Promise<BrokerOptions> {
  const config = await initConfig();
  return buildBrokerOptions(config);
}
