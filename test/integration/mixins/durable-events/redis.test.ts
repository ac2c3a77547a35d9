/** Durable events over real Redis Streams (shared server; every key carries this run's namespace). */
import { REDIS_URL } from "../../../helpers/infra";
import { cleanupRedis } from "./helpers/cleanup";
import { transportSuite } from "./helpers/transport-suite";

describe("durable events over Redis Streams", () => {
  transportSuite({
    url: REDIS_URL,
    redisUrl: REDIS_URL,
    cleanup: (config) => cleanupRedis(REDIS_URL, config.namespace),
    checkCli: true,
  });
});
