/** Durable events over a real RabbitMQ (shared; every queue and exchange carries this run's namespace). */
import { AMQP_URL, REDIS_URL } from "../../../helpers/infra";
import { cleanupAmqp, cleanupRedis } from "./helpers/cleanup";
import { transportSuite } from "./helpers/transport-suite";

describe("durable events over RabbitMQ", () => {
  transportSuite({
    url: AMQP_URL,
    redisUrl: REDIS_URL,
    cleanup: async (config) => {
      await cleanupAmqp(
        AMQP_URL,
        config.namespace,
        ["dtest.pinged", "dtest.failed", "dtest.flaky", "DLQ.dtest.pinged", "DLQ.dtest.failed", "DLQ.dtest.flaky"],
        ["consumers", "audit", "dlq-watch"],
      );
      await cleanupRedis(REDIS_URL, config.namespace);
    },
  });
});
