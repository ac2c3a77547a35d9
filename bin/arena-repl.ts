#!/usr/bin/env node
/**
 * Operators' console: a service-less node that joins the cluster (TRANSPORTER
 * must point at the cluster's NATS) and opens the Moleculer REPL, so `call`,
 * `emit`, `nodes`, `services`, `metrics` work against live nodes.
 */
import { ServiceBroker } from "moleculer";
import { initConfig } from "../lib/config";
import { buildBrokerOptions } from "./broker-options";

async function main(): Promise<void> {
  const config = await initConfig({ ...process.env, METRICS_PORT: "0", ARENA_SERVICES: "" });
  if (!config.transporter) {
    console.error("Set TRANSPORTER (e.g. nats://127.0.0.1:4222) to join a running cluster.");
    process.exit(2);
  }
  const broker = new ServiceBroker({ ...buildBrokerOptions(config), nodeID: `repl-${process.pid}` });
  await broker.start();
  broker.repl();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
