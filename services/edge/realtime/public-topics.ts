/**
 * Public-topic subscriptions of a realtime node. A socket subscribes to
 * `<kind>:<id>` topics (capped per socket); services broadcast
 * `realtime.topic.publish` and every node delivers the frame to its own
 * subscribers with one uWS publish. No backend call is made on subscribe:
 * a public topic carries only what anyone may see, and a topic nobody
 * publishes to simply stays silent.
 */
import type { FrameContext } from "./frame-context";
import type { RealtimeMetrics } from "./metrics";
import { serializeFrame } from "./protocol";
import type { TopicPublish } from "./realtime.events";
import type { Socket } from "./socket-data";
import { isTopicName } from "./topic-frames";
import type { TemplatedApp } from "./uws";

/** uWS topic of a public topic; rooms use "r:", so the two never collide. */
export const publicTopic = (topic: string): string => `t:${topic}`;

export function subscribeTopic(gw: FrameContext, ws: Socket, topic: string, cid?: string): void {
  const topics = gw.topics.of(ws);
  if (!topics.has(topic) && topics.size >= gw.settings.maxTopicsPerSocket) {
    return gw.send(ws, { type: "error", cid, code: "TOO_MANY_TOPICS", message: "Too many topics on this connection" });
  }
  if (!topics.has(topic)) {
    topics.add(topic);
    ws.subscribe(publicTopic(topic));
  }
  gw.send(ws, { type: "subscribed", topic, cid });
}

export function unsubscribeTopic(gw: FrameContext, ws: Socket, topic: string, cid?: string): void {
  if (gw.topics.of(ws).delete(topic)) ws.unsubscribe(publicTopic(topic));
  gw.send(ws, { type: "unsubscribed", topic, cid });
}

/** Delivers one published event to this node's subscribers; returns how many sockets it reached. */
export function deliverTopicEvent(app: TemplatedApp | undefined, metrics: RealtimeMetrics, msg: TopicPublish): number {
  // A malformed name from a buggy publisher must not reach uWS or any client.
  if (!app || !isTopicName(msg.topic) || typeof msg.event !== "string") return 0;
  const uwsTopic = publicTopic(msg.topic);
  const receivers = app.numSubscribers(uwsTopic);
  if (receivers === 0) return 0;
  const payload = serializeFrame({ type: "event", topic: msg.topic, event: msg.event, data: msg.data });
  // Slow subscribers are skipped by uWS above maxBackpressure and closed by the gateway's sweep, as in rooms.
  app.publish(uwsTopic, payload, false, false);
  metrics.messagesOut(receivers);
  return receivers;
}
