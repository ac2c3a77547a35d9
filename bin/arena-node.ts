#!/usr/bin/env node
/**
 * Starts one Arena node: moleculer-runner with our config and the services
 * named in ARENA_SERVICES (all of them when unset, which is embedded mode).
 * Scaling out is starting more of these with TRANSPORTER set.
 */
import { join, resolve } from "node:path";
import { findServiceFiles, selectServiceFiles } from "./service-files";

import { Runner } from "moleculer";

const compiled = __filename.endsWith(".js");
const root = resolve(__dirname, "..");
const extension = compiled ? ".js" : ".ts";
const servicesDir = join(root, "services");
const wanted = (process.env.ARENA_SERVICES ?? "")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s && s !== "all");

let files: string[];
try {
  files = selectServiceFiles(findServiceFiles(servicesDir, extension), wanted);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}

/**
 * moleculer-runner writes every env variable named after an option path over
 * the options moleculer.config built: TRANSPORTER replaced our NATS options
 * (reconnect forever) with the bare URL, and TRACING_EXPORTER=jaeger swapped
 * our Zipkin exporter for Moleculer's Jaeger one, which needs a package we
 * don't ship. Settings come from lib/config (env and Vault, validated) only.
 */
class ArenaRunner extends Runner {
  override overwriteFromEnv<T>(obj: T): T {
    return obj;
  }
}

const configFile = join(root, `moleculer.config${extension}`);
const args = [process.argv[0] ?? "node", __filename, "--config", configFile, ...process.argv.slice(2), ...files];
new ArenaRunner().start(args).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
