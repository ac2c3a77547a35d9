/** Dead letters on JetStream: the stream `<prefix>_DLQ_<type>` (subject `<prefix>.DLQ.<type>`), read by sequence. */
import type { JetStreamManager, MsgHdrs } from "nats";
import { toDeadLetter, typeOfDeadLetterChannel, type DeadLetter, type DeadLetterStore } from "./store";

interface Serializer {
  deserialize(data: Buffer): unknown;
}

const streamOf = (subject: string) => subject.split(".").join("_");

function headersOf(header: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const [key, values] of header) out[key] = values[0];
  return out;
}

export class NatsDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly serializer: Serializer,
    /** `<prefix>.DLQ.` */
    private readonly channelPrefix: string,
  ) {}

  async types(): Promise<string[]> {
    const types: string[] = [];
    for await (const stream of this.jsm.streams.list()) {
      const subject = stream.config.subjects?.[0];
      const type = subject ? typeOfDeadLetterChannel(subject, this.channelPrefix) : undefined;
      if (type) types.push(type);
    }
    return types.sort();
  }

  async depth(type: string): Promise<number> {
    const info = await this.info(type);
    return info?.state.messages ?? 0;
  }

  async list(type: string, limit: number): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    await this.scan(type, limit, async (letter) => {
      letters.push(letter);
      return true;
    });
    return letters;
  }

  async drain(
    type: string,
    match: (letter: DeadLetter) => boolean,
    limit: number,
    each: (letter: DeadLetter) => Promise<void>,
  ): Promise<number> {
    const stream = streamOf(`${this.channelPrefix}${type}`);
    let removed = 0;
    await this.scan(type, Number.MAX_SAFE_INTEGER, async (letter, seq) => {
      if (removed >= limit) return false;
      if (!match(letter)) return true;
      await each(letter);
      await this.jsm.streams.deleteMessage(stream, seq);
      removed++;
      return true;
    });
    return removed;
  }

  async close(): Promise<void> {
    // The connection is the adapter's.
  }

  private async info(type: string) {
    try {
      return await this.jsm.streams.info(streamOf(`${this.channelPrefix}${type}`));
    } catch (err) {
      if (err instanceof Error && /stream not found/i.test(err.message)) return undefined;
      throw err;
    }
  }

  /** Visits stored messages oldest first until `visit` returns false or `limit` were visited. */
  private async scan(
    type: string,
    limit: number,
    visit: (letter: DeadLetter, seq: number) => Promise<boolean>,
  ): Promise<void> {
    const info = await this.info(type);
    if (!info || info.state.messages === 0) return;
    const stream = info.config.name;
    let visited = 0;
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && visited < limit; seq++) {
      let stored;
      try {
        stored = await this.jsm.streams.getMessage(stream, { seq });
      } catch (err) {
        // A gap left by a deleted message.
        if (err instanceof Error && /no message found/i.test(err.message)) continue;
        throw err;
      }
      const message = this.serializer.deserialize(Buffer.from(stored.data));
      visited++;
      if (!(await visit(toDeadLetter(type, message, headersOf(stored.header), stored.time), seq))) return;
    }
  }
}
