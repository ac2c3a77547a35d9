import { randomUUID } from "node:crypto";
import type { DurableEnvelope, DurableEventMap, DurableEventName } from "./catalog";

/** Event names are `<entity>.<pastTenseVerb>` (CONVENTIONS.md); anything else is a programming error. */
const EVENT_NAME = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

export function isValidEventName(name: string): boolean {
  return EVENT_NAME.test(name) && !name.startsWith("DLQ.");
}

/** Headers durableHandler adds to a dead letter (besides x-original-channel/-group and x-error). */
export const DLQ_HEADERS = {
  attempts: "x-attempts",
  deadAt: "x-dead-at",
  eventId: "x-event-id",
  /** Set on a replayed dead letter: only this consumer group handles it. */
  replayGroup: "x-replay-group",
} as const;

/** Channel that holds events a consumer group gave up on after maxRetries deliveries. */
export function deadLetterChannel(type: string): string {
  return `DLQ.${type}`;
}

/** Longest ordering key accepted: keys are ids, not documents. */
export const MAX_KEY_LENGTH = 200;

export function createEnvelope<N extends DurableEventName>(
  type: N,
  payload: DurableEventMap[N],
  producer: string,
  now: Date = new Date(),
  key?: string,
): DurableEnvelope<N> {
  if (!isValidEventName(type))
    throw new TypeError(`Invalid durable event name '${String(type)}': expected <entity>.<pastTenseVerb>`);
  if (payload === undefined || payload === null || typeof payload !== "object") {
    throw new TypeError(`Durable event '${type}' needs an object payload`);
  }
  if (key !== undefined && (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new TypeError(`Durable event '${type}': ordering key must be a string of 1-${MAX_KEY_LENGTH} characters`);
  }
  const envelope: DurableEnvelope<N> = { id: randomUUID(), type, occurredAt: now.toISOString(), producer, payload };
  if (key !== undefined) envelope.key = key;
  return envelope;
}

export type ParsedEnvelope = { ok: true; envelope: DurableEnvelope } | { ok: false; reason: string };

/**
 * Messages come from the network, so a consumer checks the shape before
 * trusting it: a malformed message must be dead-lettered, not crash the node
 * or be silently treated as `{}`.
 */
export function parseEnvelope(message: unknown, expectedType: string): ParsedEnvelope {
  const fail = (reason: string): ParsedEnvelope => ({ ok: false, reason });
  if (!message || typeof message !== "object" || Array.isArray(message)) return fail("message is not an object");
  const m = message as Record<string, unknown>;
  if (typeof m.id !== "string" || m.id.length === 0 || m.id.length > 200) return fail("missing or invalid id");
  if (m.type !== expectedType) return fail(`type '${String(m.type)}' does not match channel '${expectedType}'`);
  if (typeof m.occurredAt !== "string" || Number.isNaN(Date.parse(m.occurredAt)))
    return fail("missing or invalid occurredAt");
  if (typeof m.producer !== "string") return fail("missing producer");
  if (!m.payload || typeof m.payload !== "object") return fail("missing payload");
  if (m.key !== undefined && (typeof m.key !== "string" || m.key.length === 0 || m.key.length > MAX_KEY_LENGTH))
    return fail("invalid key");
  if (m.version !== undefined && (typeof m.version !== "number" || !Number.isSafeInteger(m.version) || m.version < 1))
    return fail("invalid version");
  return { ok: true, envelope: m as unknown as DurableEnvelope };
}
