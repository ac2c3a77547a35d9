/**
 * Removes what a test run left on the shared servers: only names carrying
 * the run's namespace, never anything else (other engineers share them).
 */
import { connect as connectAmqp } from "amqplib";
import Redis from "ioredis";
import { connect as connectNats } from "nats";

export async function cleanupNats(url: string, namespace: string): Promise<void> {
  const nc = await connectNats({ servers: new URL(url).host });
  try {
    const jsm = await nc.jetstreamManager();
    const prefix = `${namespace}_`;
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}

export async function cleanupRedis(url: string, namespace: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for (const pattern of [`${namespace}.*`, `${namespace}:*`]) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    await redis.quit();
  }
}

/** AMQP has no listing without the management plugin, so names are derived from the channels and groups used. */
export async function cleanupAmqp(url: string, namespace: string, channels: string[], groups: string[]): Promise<void> {
  const conn = await connectAmqp(url);
  try {
    for (const channel of channels) {
      const full = `${namespace}.${channel}`;
      const names = [full, ...groups.map((g) => `${g}.${full}`)];
      for (const name of names) {
        // A missing queue/exchange closes the AMQP channel, so each delete gets its own.
        const ch = await conn.createChannel();
        ch.on("error", () => undefined);
        await ch.deleteQueue(name).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
      const ch = await conn.createChannel();
      ch.on("error", () => undefined);
      await ch.deleteExchange(full).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    const ch = await conn.createChannel();
    ch.on("error", () => undefined);
    await ch.deleteExchange(`${namespace}.DEAD_LETTER`).catch(() => undefined);
    await ch.deleteQueue(`${namespace}.FAILED_MESSAGES`).catch(() => undefined);
    await ch.close().catch(() => undefined);
  } finally {
    await conn.close();
  }
}
