/**
 * The plain event every realtime node hears to push to a public topic.
 * Services publish with `publishToTopic(broker or ctx, topic, event, data)`;
 * each node fans the frame out to its own subscribers through uWS topics.
 */
import { broadcastEvent } from "../../../lib/contracts/events";
import type { TopicData, UserNotification } from "./protocol";

export const TOPIC_PUBLISH_EVENT = "realtime.topic.publish";

export type { TopicData } from "./protocol";

export interface TopicPublish {
  /** `<kind>:<id>`, see TOPIC_NAME in topic-frames.ts. */
  topic: string;
  /** What happened, e.g. "bracket.updated"; clients switch on it. */
  event: string;
  data: TopicData;
}

/** Viewers watching a channel across the cluster, sampled by one realtime node (streams keeps the peak). */
export interface ViewersSampled {
  channelId: string;
  viewerCount: number;
  at: string;
}

/**
 * A notification for one user's open sockets (the WebSocket channel of the
 * notifications service, which emits it; declared here, with the frame it
 * becomes, until that service declares its events).
 */
export interface NotificationPush {
  userId: string;
  notification: UserNotification;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "realtime.topic.publish": TopicPublish;
    "stream.viewers.sampled": ViewersSampled;
    "notifications.push": NotificationPush;
  }
}

/** Pushes `{type:"event", topic, event, data}` to every subscriber of `topic` on every realtime node. */
export function publishToTopic(
  from: Parameters<typeof broadcastEvent>[0],
  topic: string,
  event: string,
  data: TopicData,
): Promise<void> {
  return broadcastEvent(from, TOPIC_PUBLISH_EVENT, { topic, event, data }, "realtime");
}
