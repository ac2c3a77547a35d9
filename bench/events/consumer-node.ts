/**
 * The consumer node of `npm run bench:events`, in its own process (its own
 * event loop, as a real node): starts a broker with the "benchsink" service
 * from the environment's config and tells the parent once it is subscribed.
 */
import { ServiceBroker } from "moleculer";
import { initConfig } from "../../lib/config";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import { sinkSchema, type SinkMode } from "./bench-services";

async function main(): Promise<void> {
  const config = await initConfig({ ...process.env, METRICS_PORT: "0", ARENA_SERVICES: "" });
  const broker = new ServiceBroker({
    namespace: config.namespace,
    nodeID: `bench-consumer-${process.pid}`,
    logger: { type: "Console", options: { level: "warn" } },
    middlewares: [DurableEventsMiddleware(config, { relaySweep: false })],
  });
  broker.createService(
    sinkSchema({ ordered: process.env.BENCH_ORDERED === "1", mode: (process.env.BENCH_MODE ?? "plain") as SinkMode }),
  );
  await broker.start();
  process.send?.({ ev: "ready" });
  process.on("message", (msg: { cmd?: string }) => {
    if (msg.cmd === "stop") void broker.stop().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
