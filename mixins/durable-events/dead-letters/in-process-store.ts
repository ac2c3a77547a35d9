/** Dead letters of the in-process adapter: its `dead_letters` table, or memory on a broker without a database. */
import type { InProcessAdapter } from "../in-process-adapter";
import type { StoredDeadLetter } from "../delivery-store";
import { toDeadLetter, typeOfDeadLetterChannel, type DeadLetter, type DeadLetterStore } from "./store";

interface Serializer {
  deserialize(data: Buffer, type?: string): unknown;
}

export class InProcessDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly adapter: InProcessAdapter,
    private readonly serializer: Serializer,
  ) {}

  async types(): Promise<string[]> {
    const prefix = this.adapter.deadLetterPrefix;
    const store = this.adapter.deliveryStore;
    const channels = store ? await store.deadLetterChannels(prefix) : this.adapter.memoryDeadLetters.channels(prefix);
    return channels.flatMap(({ channel }) => typeOfDeadLetterChannel(channel, prefix) ?? []);
  }

  async depth(type: string): Promise<number> {
    const store = this.adapter.deliveryStore;
    return store
      ? store.countDeadLetters(this.channel(type))
      : this.adapter.memoryDeadLetters.count(this.channel(type));
  }

  async list(type: string, limit: number): Promise<DeadLetter[]> {
    return (await this.stored(type, limit)).map((stored) => this.toLetter(type, stored));
  }

  async drain(
    type: string,
    match: (letter: DeadLetter) => boolean,
    limit: number,
    each: (letter: DeadLetter) => Promise<void>,
  ): Promise<number> {
    let removed = 0;
    for (const stored of await this.stored(type, Number.MAX_SAFE_INTEGER)) {
      if (removed >= limit) break;
      const letter = this.toLetter(type, stored);
      if (!match(letter)) continue;
      await each(letter);
      const store = this.adapter.deliveryStore;
      removed += store
        ? await store.removeDeadLetters([stored.seq])
        : this.adapter.memoryDeadLetters.remove([stored.seq]);
    }
    return removed;
  }

  async close(): Promise<void> {
    // Nothing of its own to close: the adapter's store and memory.
  }

  private channel(type: string): string {
    return `${this.adapter.deadLetterPrefix}${type}`;
  }

  private async stored(type: string, limit: number): Promise<StoredDeadLetter[]> {
    const store = this.adapter.deliveryStore;
    return store
      ? store.deadLetters(this.channel(type), limit)
      : this.adapter.memoryDeadLetters.list(this.channel(type), limit);
  }

  private toLetter(type: string, stored: StoredDeadLetter): DeadLetter {
    let message: unknown;
    try {
      message = this.serializer.deserialize(stored.data, "");
    } catch {
      message = stored.data.toString();
    }
    return toDeadLetter(type, message, stored.headers, undefined);
  }
}
