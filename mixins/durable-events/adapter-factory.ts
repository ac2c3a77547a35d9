/**
 * Picks the @moleculer/channels adapter from DURABLE_EVENTS_URL, the way the
 * rest of Arena picks drivers: by URL scheme, failing fast on anything else.
 */
import type { ArenaConfig } from "../../lib/config";
import { Adapters } from "@moleculer/channels";
import { InProcessAdapter } from "./in-process-adapter";
import { ArenaAmqpAdapter } from "./amqp-adapter";
import { ArenaNatsAdapter } from "./nats-adapter";
import type { DurableEventsTuning } from "./tuning";

/** Deliveries beyond maxRetries after which the adapter itself dead-letters (backstop). */
export const BACKSTOP_EXTRA_DELIVERIES = 2;

/**
 * Retention: long enough for a consumer group to be down over a long weekend
 * and catch up, bounded so streams do not grow forever.
 */
export const NATS_MAX_AGE_NS = 7 * 24 * 3600 * 1e9;
/** Approximate per-type cap of a Redis stream (XADD MAXLEN ~). */
export const REDIS_STREAM_MAX_LEN = 1_000_000;

export type DurableTransport = "nats" | "amqp" | "redis" | "in-process";

export function transportOf(url: string | undefined): DurableTransport {
  if (!url) return "in-process";
  const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
  if (scheme === "nats") return "nats";
  if (scheme === "amqp" || scheme === "amqps") return "amqp";
  if (scheme === "redis" || scheme === "rediss") return "redis";
  throw new Error(
    `DURABLE_EVENTS_URL: unsupported scheme '${scheme}:' (expected nats://, amqp://, amqps://, redis:// or rediss://)`,
  );
}

/**
 * Where durable events go. An explicit DURABLE_EVENTS_URL wins. Without one,
 * a node on a NATS transporter uses JetStream on that same server: nodes that
 * talk over NATS are not in one process, and in-process queues would silently
 * keep an event from consumers on other nodes.
 */
export function durableEventsUrl(config: ArenaConfig): string | undefined {
  if (config.durableEvents.url) return config.durableEvents.url;
  if (config.transporter?.startsWith("nats://")) return config.transporter;
  return undefined;
}

/** Adapter options object as @moleculer/channels' Adapters.resolve accepts it. */
export interface NetworkAdapterConfig {
  type: "NATS" | "AMQP" | "Redis";
  options: Record<string, unknown>;
}

/**
 * Options shared by every network adapter: stream/queue names are prefixed
 * with the broker namespace (concurrent test runs and deployments sharing a
 * server never see each other's events), dead-lettering is on, and the
 * in-flight default from DURABLE_EVENTS_MAX_IN_FLIGHT.
 */
export function networkAdapterConfig(config: ArenaConfig, tuning: DurableEventsTuning): NetworkAdapterConfig | null {
  const url = durableEventsUrl(config);
  const transport = transportOf(url);
  const base = {
    prefix: config.namespace,
    // durableHandler dead-letters itself after exactly maxRetries failed
    // deliveries (the Redis adapter's own count races its claim loop). The
    // adapter's dead-lettering stays as a backstop for when that publish fails.
    maxRetries: config.durableEvents.maxRetries + BACKSTOP_EXTRA_DELIVERIES,
    // Default of every consumer group; a durableHandler may set its own.
    maxInFlight: Math.max(1, config.durableEvents.maxInFlight),
    deadLettering: { enabled: true, queueName: "FAILED_MESSAGES" },
  };
  switch (transport) {
    case "in-process":
      return null;
    case "nats":
      return {
        type: "NATS",
        options: {
          ...base,
          nats: {
            url,
            // Reconnect forever: a JetStream restart must not lose the node's consumers.
            // noAsyncTraces: nats.js otherwise builds an Error (a stack trace) per publish for a timeout that
            // almost never happens; it was a third of the relay's CPU.
            connectionOptions: { maxReconnectAttempts: -1, reconnectTimeWait: 500, noAsyncTraces: true },
            streamConfig: { max_age: NATS_MAX_AGE_NS },
          },
        },
      };
    case "amqp":
      return {
        type: "AMQP",
        options: {
          ...base,
          amqp: {
            url,
            // Survive a RabbitMQ restart: durable queues are the default, persistent messages are not.
            messageOptions: { persistent: true },
            queueOptions: { durable: true },
            exchangeOptions: { durable: true },
            // Publishing to an exchange nobody declared yet closes the AMQP channel; declare it first.
            publishAssertExchange: { enabled: true, exchangeOptions: { durable: true } },
          },
        },
      };
    case "redis":
      return {
        type: "Redis",
        options: {
          ...base,
          redis: {
            url,
            consumerOptions: {
              // A failed message stays pending; it is claimed again after this idle time,
              // which is the Redis adapter's retry delay.
              minIdleTime: tuning.retryMaxMs,
              claimInterval: Math.max(20, Math.min(200, tuning.retryBaseMs / 2)),
              processingAttemptsInterval: Math.max(20, Math.min(1000, tuning.retryBaseMs / 2)),
              readTimeoutInterval: 0,
              startID: "$",
            },
          },
        },
      };
  }
}

type BaseAdapter = InstanceType<typeof Adapters.Base>;

export function createAdapter(config: ArenaConfig, tuning: DurableEventsTuning): BaseAdapter {
  const network = networkAdapterConfig(config, tuning);
  if (!network) {
    return new InProcessAdapter({
      maxRetries: config.durableEvents.maxRetries + BACKSTOP_EXTRA_DELIVERIES,
      maxInFlight: Math.max(1, config.durableEvents.maxInFlight),
      retryBaseMs: tuning.retryBaseMs,
      retryMaxMs: tuning.retryMaxMs,
      prefix: config.namespace,
    });
  }
  switch (network.type) {
    case "NATS":
      return new ArenaNatsAdapter(network.options);
    case "AMQP":
      return new ArenaAmqpAdapter(network.options);
    case "Redis":
      return new Adapters.Redis(network.options);
  }
}
