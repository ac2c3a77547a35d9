/**
 * Test brokers for durable events: real broker options from config (so the
 * platform middlewares are what production runs), with the durable-events
 * middleware re-created with short timings so retries take milliseconds.
 */
import { ServiceBroker, type BrokerOptions, type Service, type ServiceSchema } from "moleculer";
import type { ArenaConfig } from "../../../../../lib/config";
import { buildBrokerOptions } from "../../../../../bin/broker-options";
import {
  deadLetterHandler,
  durableHandler,
  DurableEventsMixin,
  type DurableEnvelope,
} from "../../../../../mixins/durable-events";
import type { DurableEventsTuning } from "../../../../../mixins/durable-events/tuning";
import { testConfig, uniqueId } from "../../../../helpers/infra";
import type { TestPinged } from "./test-events";
import "./test-events";
import { platformMiddlewares } from "../../../../../bin/platform-middlewares";

export const FAST_TUNING: Partial<DurableEventsTuning> = {
  retryBaseMs: 50,
  retryMaxMs: 200,
  relayIntervalMs: 200,
  claimTtlMs: 5000,
  processedTtlMs: 120_000,
};

export function createBroker(
  config: ArenaConfig,
  tuning: Partial<DurableEventsTuning> = FAST_TUNING,
  extra: Partial<BrokerOptions> = {},
): ServiceBroker {
  const options = buildBrokerOptions({ ...config, nodeId: uniqueId("node") });
  return new ServiceBroker({
    ...options,
    ...extra,
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: platformMiddlewares(config, tuning),
  });
}

/** Shared config for brokers of one test: same namespace (so they share streams), given durable URL. */
export async function durableConfig(
  url: string | undefined,
  extra: Record<string, string | undefined> = {},
): Promise<ArenaConfig> {
  return testConfig({ DURABLE_EVENTS_URL: url, DURABLE_EVENTS_MAX_RETRIES: "3", NAMESPACE: uniqueId("de"), ...extra });
}

export interface Recorder {
  handled: Array<{ node: string; service: string; group: string; envelope: DurableEnvelope<"dtest.pinged"> }>;
  attempts: Map<string, number>;
  deadLetters: Array<{ message: unknown; headers: Record<string, string> }>;
  /** Groups whose dtest.failed handler has been "fixed": it records the event instead of throwing. */
  fixed: Set<string>;
}

export function newRecorder(): Recorder {
  return { handled: [], attempts: new Map(), deadLetters: [], fixed: new Set() };
}

/** A service without a database that publishes directly. */
export function producerSchema(name = "producer"): ServiceSchema {
  return {
    name,
    mixins: [DurableEventsMixin()],
    actions: {
      ping: {
        params: { seq: "number", note: { type: "string", optional: true } },
        async handler(
          this: Service & { publishDurable: (t: "dtest.pinged", p: TestPinged) => Promise<string> },
          ctx,
        ): Promise<string> {
          const params = ctx.params as TestPinged;
          return this.publishDurable("dtest.pinged", params);
        },
      },
    },
  };
}

/** Consumer of all three test events: pinged records, failed always throws, flaky throws on its first delivery. */
export function consumerSchema(
  rec: Recorder,
  opts: { name?: string; group?: string; dlqGroup?: string; maxInFlight?: number } = {},
): ServiceSchema {
  const group = opts.group ?? "consumers";
  const maxInFlight = opts.maxInFlight;
  return {
    name: opts.name ?? "consumer",
    mixins: [DurableEventsMixin()],
    channels: {
      ...durableHandler("dtest.pinged", {
        group,
        maxInFlight,
        async handler(this: Service, envelope) {
          rec.handled.push({ node: this.broker.nodeID, service: this.name, group, envelope });
        },
      }),
      ...durableHandler("dtest.failed", {
        group,
        async handler(this: Service, envelope) {
          const key = `${group}:${envelope.id}`;
          rec.attempts.set(key, (rec.attempts.get(key) ?? 0) + 1);
          if (rec.fixed.has(group)) {
            rec.handled.push({
              node: this.broker.nodeID,
              service: this.name,
              group,
              envelope: { ...envelope, type: "dtest.pinged" },
            });
            return;
          }
          throw new Error(`handler of ${envelope.id} always fails`);
        },
      }),
      ...durableHandler("dtest.flaky", {
        group,
        async handler(this: Service, envelope) {
          const key = `${group}:${envelope.id}`;
          const n = (rec.attempts.get(key) ?? 0) + 1;
          rec.attempts.set(key, n);
          if (n === 1) throw new Error("first delivery fails");
          rec.handled.push({
            node: this.broker.nodeID,
            service: this.name,
            group,
            envelope: { ...envelope, type: "dtest.pinged" },
          });
        },
      }),
      ...(opts.dlqGroup
        ? deadLetterHandler("dtest.failed", {
            group: opts.dlqGroup,
            async handler(message, headers) {
              rec.deadLetters.push({ message, headers });
            },
          })
        : {}),
    },
  };
}
