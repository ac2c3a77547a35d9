/**
 * How many times the broker has delivered the message being handled, read
 * from whatever each adapter attaches to it. Undefined when the adapter does
 * not say (Redis Streams: its redelivery delay is the claim idle time instead).
 */
export function deliveryCount(raw: unknown): number | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  // In-process adapter
  if (typeof r.deliveryCount === "number") return r.deliveryCount;
  // NATS JetStream: info.redeliveryCount counts deliveries, 1 on the first.
  const info = r.info as Record<string, unknown> | undefined;
  if (info && typeof info.redeliveryCount === "number") return info.redeliveryCount;
  // AMQP: the adapter republishes failed messages with the number of failures so far.
  const props = r.properties as { headers?: Record<string, unknown> } | undefined;
  if (props && typeof props === "object") {
    const failures = props.headers?.["x-redelivered-count"];
    return (typeof failures === "number" ? failures : 0) + 1;
  }
  return undefined;
}
