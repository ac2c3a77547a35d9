/** The dead-letter store of a broker's durable-events adapter. */
import { Adapters } from "@moleculer/channels";
import { connect as connectAmqp } from "amqplib";
import Redis from "ioredis";
import { durableEventsUrl } from "../adapter-factory";
import { InProcessAdapter } from "../in-process-adapter";
import type { ArenaConfig } from "../../../lib/config";
import { AmqpDeadLetterStore } from "./amqp-store";
import { InProcessDeadLetterStore } from "./in-process-store";
import { NatsDeadLetterStore } from "./nats-store";
import { RedisDeadLetterStore } from "./redis-store";
import type { DeadLetterStore } from "./store";

/** What opening a store needs of the durable runtime (runtime.ts calls this, so it does not import runtime.ts back). */
export interface DeadLetterSource {
  whenReady(): Promise<void>;
  readonly adapter: InstanceType<typeof Adapters.Base>;
  readonly config: ArenaConfig;
}

export async function openDeadLetterStore(runtime: DeadLetterSource): Promise<DeadLetterStore> {
  await runtime.whenReady();
  const adapter = runtime.adapter;
  const serializer = adapter.serializer;
  const prefix = adapter.addPrefixTopic("DLQ.");
  if (adapter instanceof InProcessAdapter) return new InProcessDeadLetterStore(adapter, serializer);
  if (adapter instanceof Adapters.NATS) return new NatsDeadLetterStore(adapter.manager, serializer, prefix);
  const url = durableEventsUrl(runtime.config) as string;
  if (adapter instanceof Adapters.AMQP) return new AmqpDeadLetterStore(await connectAmqp(url), serializer, prefix);
  if (adapter instanceof Adapters.Redis)
    return new RedisDeadLetterStore(new Redis(url, { maxRetriesPerRequest: 1 }), serializer, prefix);
  throw new Error("Dead letters: unknown durable-events adapter");
}
