/**
 * Dead letters as operators see them, whatever the transport: one interface,
 * one driver per adapter (JetStream stream, RabbitMQ queue, Redis stream,
 * in-process table), each reading the `DLQ.<type>` channel durableHandler
 * writes to.
 */
import { DLQ_HEADERS } from "../envelope";

export interface DeadLetter {
  /** The event type it was dead-lettered from. */
  type: string;
  /** The consumer group that gave up on it. */
  group: string;
  /** Its envelope id ("" when the message was malformed). */
  eventId: string;
  /** The last error. */
  error: string;
  /** Failed deliveries before it was given up. */
  attempts: number;
  /** ISO time it was dead-lettered. */
  deadAt: string;
  /** The message as it was when it failed (the envelope, unless it was malformed). */
  message: unknown;
}

export interface DeadLetterStore {
  /** Types that have dead letters here. Stores that cannot list (RabbitMQ) check the `known` ones. */
  types(known: string[]): Promise<string[]>;
  depth(type: string): Promise<number>;
  /** Oldest first. */
  list(type: string, limit: number): Promise<DeadLetter[]>;
  /**
   * Hands the matching letters (up to `limit`, oldest first) to `each`; a
   * letter is removed once `each` resolved for it, so a failed replay keeps it.
   * Resolves with how many were removed.
   */
  drain(
    type: string,
    match: (letter: DeadLetter) => boolean,
    limit: number,
    each: (letter: DeadLetter) => Promise<void>,
  ): Promise<number>;
  close(): Promise<void>;
}

/** Builds the operator's view of a stored dead letter from its body and headers. */
export function toDeadLetter(
  type: string,
  message: unknown,
  headers: Record<string, unknown>,
  storedAt: Date | undefined,
): DeadLetter {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    if (value === undefined || value === null) return undefined;
    return Buffer.isBuffer(value) ? value.toString() : String(value);
  };
  const id = (message as { id?: unknown } | null)?.id;
  const attempts = Number(header(DLQ_HEADERS.attempts));
  return {
    type,
    group: header("x-original-group") ?? "?",
    eventId: header(DLQ_HEADERS.eventId) ?? (typeof id === "string" ? id : ""),
    error: header("x-error") ?? "(no error recorded: dead-lettered by the adapter after its retry limit)",
    attempts: Number.isFinite(attempts) && attempts > 0 ? attempts : 0,
    deadAt: header(DLQ_HEADERS.deadAt) ?? storedAt?.toISOString() ?? "",
    message,
  };
}

/** The dead letters' type from a DLQ channel name `<prefix>.DLQ.<type>`. */
export function typeOfDeadLetterChannel(channel: string, prefix: string): string | undefined {
  return channel.startsWith(prefix) ? channel.slice(prefix.length) : undefined;
}
