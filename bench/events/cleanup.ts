/** Removes what one benchmark round left on the shared servers: only names carrying its namespace. */
import { connect as connectAmqp } from "amqplib";
import { connect as connectNats } from "nats";

export async function cleanupTransport(
  transport: "nats" | "amqp",
  url: string,
  namespace: string,
  channels: string[],
  groups: string[],
): Promise<void> {
  if (transport === "nats") {
    const nc = await connectNats({ servers: new URL(url).host });
    try {
      const jsm = await nc.jetstreamManager();
      for await (const stream of jsm.streams.list()) {
        if (stream.config.name.startsWith(`${namespace}_`)) await jsm.streams.delete(stream.config.name);
      }
    } finally {
      await nc.close();
    }
    return;
  }
  const conn = await connectAmqp(url);
  try {
    const names = channels.flatMap((c) => {
      const full = `${namespace}.${c}`;
      const dlq = `${namespace}.DLQ.${c}`;
      return [full, dlq, ...groups.map((g) => `${g}.${full}`)];
    });
    for (const name of names) {
      // A missing queue or exchange closes the AMQP channel: one channel per delete.
      for (const remove of ["queue", "exchange"] as const) {
        const ch = await conn.createChannel();
        ch.on("error", () => undefined);
        await (remove === "queue" ? ch.deleteQueue(name) : ch.deleteExchange(name)).catch(() => undefined);
        await ch.close().catch(() => undefined);
      }
    }
  } finally {
    await conn.close();
  }
}
