import type { ServiceBroker } from "moleculer";

/**
 * Starts a test broker. If it fails, stops whatever did start and runs
 * `cleanUp` (drop the test database) before rethrowing: the spec never got a
 * harness, so its afterAll cannot do it.
 */
export async function startBrokerOrCleanUp(broker: ServiceBroker, cleanUp: () => Promise<unknown>): Promise<void> {
  try {
    await broker.start();
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await cleanUp();
    throw err;
  }
}
