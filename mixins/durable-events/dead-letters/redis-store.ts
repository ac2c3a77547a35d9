/** Dead letters on Redis Streams: the stream `<prefix>.DLQ.<type>`, entries `payload` + `headers`. */
import type Redis from "ioredis";
import { toDeadLetter, typeOfDeadLetterChannel, type DeadLetter, type DeadLetterStore } from "./store";

interface Serializer {
  deserialize(data: Buffer): unknown;
}

type Entry = [id: Buffer, fields: Buffer[]];

/** Entries read per XRANGE while draining. */
const PAGE = 200;

export class RedisDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly redis: Redis,
    private readonly serializer: Serializer,
    /** `<prefix>.DLQ.` */
    private readonly channelPrefix: string,
  ) {}

  async types(): Promise<string[]> {
    const types = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.scan(cursor, "MATCH", `${this.channelPrefix}*`, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const type = typeOfDeadLetterChannel(key, this.channelPrefix);
        if (type && (await this.redis.type(key)) === "stream") types.add(type);
      }
    } while (cursor !== "0");
    return [...types].sort();
  }

  async depth(type: string): Promise<number> {
    return this.redis.xlen(this.key(type));
  }

  async list(type: string, limit: number): Promise<DeadLetter[]> {
    const entries = (await this.redis.xrangeBuffer(this.key(type), "-", "+", "COUNT", limit)) as Entry[];
    return entries.map((entry) => this.toLetter(type, entry));
  }

  async drain(
    type: string,
    match: (letter: DeadLetter) => boolean,
    limit: number,
    each: (letter: DeadLetter) => Promise<void>,
  ): Promise<number> {
    const key = this.key(type);
    let removed = 0;
    let start = "-";
    for (;;) {
      const entries = (await this.redis.xrangeBuffer(key, start, "+", "COUNT", PAGE)) as Entry[];
      for (const entry of entries) {
        if (removed >= limit) return removed;
        const letter = this.toLetter(type, entry);
        if (!match(letter)) continue;
        await each(letter);
        await this.redis.xdel(key, entry[0].toString());
        removed++;
      }
      if (entries.length < PAGE) return removed;
      // Exclusive start after the last id read.
      start = `(${entries[entries.length - 1][0].toString()}`;
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(type: string): string {
    return `${this.channelPrefix}${type}`;
  }

  private toLetter(type: string, [id, fields]: Entry): DeadLetter {
    const field = (name: string): Buffer | undefined => {
      for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i].toString() === name) return fields[i + 1];
      return undefined;
    };
    const payload = field("payload");
    const headers = field("headers");
    const message = payload ? this.serializer.deserialize(payload) : undefined;
    const parsedHeaders = (headers ? this.serializer.deserialize(headers) : {}) as Record<string, unknown>;
    // A stream id starts with the millisecond it was added.
    const storedAt = new Date(Number(id.toString().split("-")[0]));
    return toDeadLetter(type, message, parsedHeaders, storedAt);
  }
}
