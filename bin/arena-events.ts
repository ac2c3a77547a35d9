#!/usr/bin/env node
/**
 * Operators' command line for durable events, against the transport the
 * config names (same environment as a node):
 *
 *   npm run events -- dlq list [type]
 *   npm run events -- dlq inspect <type> <eventId>
 *   npm run events -- dlq replay <type> (<eventId> | --all) [--group <group>]
 *   npm run events -- dlq drop <type> (<eventId> | --all) [--group <group>]
 *
 * It does not join the cluster: it talks to JetStream, RabbitMQ or Redis
 * directly, or in embedded mode to the database in DATA_DIR (which the
 * running node holds: stop it first, or use `dlq` in its REPL).
 */
import { join } from "node:path";
import { ServiceBroker } from "moleculer";
import { initConfig } from "../lib/config";
import { durableEventsUrl, transportOf } from "../mixins/durable-events/adapter-factory";
import {
  DLQ_USAGE,
  parseDlqArgs,
  runDlqCommand,
  type DlqCommand,
} from "../mixins/durable-events/dead-letters/commands";
import type { DurableChannelDefinition } from "../mixins/durable-events/durable-channel-types";
import { DurableEventsMiddleware } from "../mixins/durable-events/middleware";
import { findServiceFiles } from "./service-files";

/**
 * RabbitMQ cannot list queues: the types to look for come from the services'
 * durable handlers (loading their schemas, not starting them).
 */
function consumedTypes(): string[] {
  const compiled = __filename.endsWith(".js");
  const types = new Set<string>();
  for (const file of findServiceFiles(join(__dirname, "..", "services"), compiled ? ".js" : ".ts").values()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = (require(file) as { default?: { channels?: Record<string, Partial<DurableChannelDefinition>> } })
      .default;
    for (const def of Object.values(schema?.channels ?? {})) if (def?.durable) types.add(def.durable.type);
  }
  return [...types];
}

async function main(): Promise<void> {
  const [area, ...rest] = process.argv.slice(2);
  if (area !== "dlq") {
    console.error(`Usage:\n${DLQ_USAGE.replace(/^/gm, "  npm run events -- ")}`);
    process.exit(2);
  }
  let command: DlqCommand;
  try {
    command = parseDlqArgs(rest);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const config = await initConfig({ ...process.env, METRICS_PORT: "0", ARENA_SERVICES: "" });
  const transport = transportOf(durableEventsUrl(config));
  const broker = new ServiceBroker({
    namespace: config.namespace,
    nodeID: `events-cli-${process.pid}`,
    logger: { type: "Console", options: { level: "warn" } },
    // Embedded mode: open the in-process adapter's tables even though no service runs here.
    middlewares: [DurableEventsMiddleware(config, { inProcessStore: "sql", deadLetterGaugeMs: 0, relaySweep: false })],
  });
  try {
    await broker.start();
  } catch (err) {
    const message = (err as Error).message;
    if (/is in use by process/.test(message)) {
      console.error(
        `${message}\nThe embedded node holds its database: stop it first (queued replays are delivered when it starts), ` +
          "or start it with the REPL (npm run dev -- --repl) and use `dlq ...` there.",
      );
      process.exit(1);
    }
    throw err;
  }
  try {
    const known = transport === "amqp" && command.action === "list" && !command.type ? consumedTypes() : [];
    await runDlqCommand(broker, command, (line) => console.log(line), known);
  } finally {
    await broker.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
