/**
 * Dead letters on RabbitMQ: the durable queue `<prefix>.DLQ.<type>` the
 * adapter binds to the type's dead-letter exchange. A queue can only be read
 * by taking messages: listing takes them without acknowledging and closes
 * the channel, which puts them back where they were; removing acknowledges
 * the chosen ones. RabbitMQ cannot list queues without its management
 * plugin, so `types` checks the types the caller knows.
 */
import type { Channel, ChannelModel, GetMessage } from "amqplib";
import { toDeadLetter, type DeadLetter, type DeadLetterStore } from "./store";

interface Serializer {
  deserialize(data: Buffer): unknown;
}

/** Most messages one operation looks at (a DLQ this deep needs a bulk tool, not this one). */
const SCAN_LIMIT = 50_000;

export class AmqpDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly connection: ChannelModel,
    private readonly serializer: Serializer,
    /** `<prefix>.DLQ.` */
    private readonly channelPrefix: string,
  ) {}

  async types(known: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const type of [...new Set(known)].sort()) if ((await this.count(type)) !== undefined) found.push(type);
    return found;
  }

  async depth(type: string): Promise<number> {
    return (await this.count(type)) ?? 0;
  }

  async list(type: string, limit: number): Promise<DeadLetter[]> {
    return this.withChannel(async (ch) => {
      const letters: DeadLetter[] = [];
      while (letters.length < limit) {
        const msg = await ch.get(this.queue(type), { noAck: false });
        if (!msg) break;
        letters.push(this.toLetter(type, msg));
      }
      return letters;
      // Closing the channel requeues every message taken, in place.
    });
  }

  async drain(
    type: string,
    match: (letter: DeadLetter) => boolean,
    limit: number,
    each: (letter: DeadLetter) => Promise<void>,
  ): Promise<number> {
    return this.withChannel(async (ch) => {
      let removed = 0;
      for (let seen = 0; seen < SCAN_LIMIT && removed < limit; seen++) {
        const msg = await ch.get(this.queue(type), { noAck: false });
        if (!msg) break;
        const letter = this.toLetter(type, msg);
        if (!match(letter)) continue;
        await each(letter);
        ch.ack(msg);
        removed++;
      }
      return removed;
    });
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  private queue(type: string): string {
    return `${this.channelPrefix}${type}`;
  }

  /** Messages in the type's queue, or undefined when there is no such queue. */
  private async count(type: string): Promise<number | undefined> {
    try {
      // A missing queue closes the channel it was checked on: one channel per check.
      return await this.withChannel(async (ch) => (await ch.checkQueue(this.queue(type))).messageCount);
    } catch (err) {
      if (err instanceof Error && /NOT_FOUND/.test(err.message)) return undefined;
      throw err;
    }
  }

  private async withChannel<T>(work: (ch: Channel) => Promise<T>): Promise<T> {
    const ch = await this.connection.createChannel();
    ch.on("error", () => undefined);
    try {
      return await work(ch);
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  private toLetter(type: string, msg: GetMessage): DeadLetter {
    let message: unknown;
    try {
      message = this.serializer.deserialize(msg.content);
    } catch {
      message = msg.content.toString();
    }
    const stamp = msg.properties.timestamp as number | undefined;
    return toDeadLetter(type, message, msg.properties.headers ?? {}, stamp ? new Date(stamp) : undefined);
  }
}
