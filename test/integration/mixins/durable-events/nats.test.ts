/** Durable events over the real NATS JetStream (shared server; every stream carries this run's namespace). */
import { NATS_URL, REDIS_URL } from "../../../helpers/infra";
import { cleanupNats, cleanupRedis } from "./helpers/cleanup";
import { transportSuite } from "./helpers/transport-suite";

describe("durable events over NATS JetStream", () => {
  transportSuite({
    url: NATS_URL,
    redisUrl: REDIS_URL,
    cleanup: async (config) => {
      await cleanupNats(NATS_URL, config.namespace);
      await cleanupRedis(REDIS_URL, config.namespace);
    },
  });
});
