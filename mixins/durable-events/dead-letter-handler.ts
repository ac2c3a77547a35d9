/**
 * The consumer of a type's dead-letter channel: what operators' tooling and
 * tests use to read what a group gave up on. No dedupe and no retries here:
 * a dead letter is read as it is.
 */
import type { Service } from "moleculer";
import type { DurableEventName } from "./catalog";
import type { DurableChannels } from "./durable-channel-types";
import { deadLetterChannel } from "./envelope";
import { getRuntime } from "./runtime";

export interface DeadLetterOptions {
  group: string;
  handler: (this: Service, message: unknown, headers: Record<string, string>) => Promise<void>;
}

/**
 * Consumes `DLQ.<type>` (for operators' tooling and tests): the raw message
 * as it was when it failed, plus the adapter's headers (original group...).
 */
export function deadLetterHandler(type: DurableEventName, opts: DeadLetterOptions): DurableChannels {
  return {
    [deadLetterChannel(type)]: {
      group: opts.group,
      deadLettering: { enabled: false },
      async handler(this: Service, message: unknown, raw: unknown): Promise<void> {
        const adapter = getRuntime(this.broker).adapter;
        const headers = (adapter.parseMessageHeaders(raw) ?? {}) as Record<string, string>;
        await opts.handler.call(this, message, headers);
      },
    },
  };
}
