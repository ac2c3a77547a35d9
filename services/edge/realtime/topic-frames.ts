/**
 * Public topics: read-only streams of service events that any socket,
 * anonymous or not, may subscribe to ("tournament:<id>", "home:live").
 * This file only knows the names and the client frames; public-topics.ts
 * delivers. Nothing secret may ever be published on a public topic.
 */

/**
 * `<kind>:<id>`: a lower-case kind and an id of the same alphabet as room ids.
 * The whole name becomes a uWS topic, so no wildcards, slashes or spaces.
 */
export const TOPIC_NAME = /^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{1,64}$/;

export type TopicFrame = { type: "subscribe" | "unsubscribe"; topic: string; cid?: string };

export function isTopicName(topic: unknown): topic is string {
  return typeof topic === "string" && TOPIC_NAME.test(topic);
}

/** Parses the fields of a subscribe/unsubscribe frame; a string is the problem to report. */
export function parseTopicFrame(
  o: Record<string, unknown>,
  type: "subscribe" | "unsubscribe",
  cid: string | undefined,
): TopicFrame | string {
  if (!isTopicName(o.topic)) return "topic must look like <kind>:<id> ([a-z][a-z0-9-]{0,31}:[A-Za-z0-9_-]{1,64})";
  return { type, topic: o.topic, cid };
}
