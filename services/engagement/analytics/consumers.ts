/**
 * The event consumers: durable events in batches (one transaction and one
 * multi-row write per batch, dedupe by event id in the durable layer and
 * again in `ingested_events`), plain events through the ingest buffer.
 */
import type { ServiceEvent } from "moleculer";
import { onEvent } from "../../../lib/contracts";
import { durableHandler, type DurableChannels, type DurableEnvelope } from "../../../mixins/durable-events";
import type { AnalyticsThis } from "./analytics.context";
import {
  recordStreamsEnded,
  recordStreamsStarted,
  recordVideosCreated,
  recordVideosDeleted,
  recordVideosPublished,
} from "./dimensions";
import {
  COUNTED_EVENTS,
  chatFacts,
  durableFacts,
  viewerSampleFacts,
  videoViewFacts,
  type CountedEvent,
} from "./event-facts";
import { ingest, type IngestEvent } from "./ingest";
import { forgetUser } from "./user-deletion";

export const ANALYTICS_GROUP = "analytics";
/** Durable events in flight together are written as one batch, up to this many. */
const DURABLE_BATCH = 500;

/** Dimension writes that ride along with a counted type's batch. */
const DIMENSIONS: {
  [N in CountedEvent]?: (svc: AnalyticsThis, envelopes: Array<DurableEnvelope<N>>) => Promise<void>;
} = {
  "stream.started": recordStreamsStarted,
  "stream.ended": recordStreamsEnded,
  "video.created": recordVideosCreated,
  "video.published": recordVideosPublished,
};

export async function handleCounted<N extends CountedEvent>(
  svc: AnalyticsThis,
  type: N,
  envelopes: Array<DurableEnvelope<N>>,
): Promise<void> {
  await DIMENSIONS[type]?.(svc, envelopes);
  const events = envelopes.map((e) => durableFacts(e)).filter((e): e is IngestEvent => e !== null);
  await ingest(svc.db, svc.partitions, events);
}

function countedChannel<N extends CountedEvent>(type: N): DurableChannels {
  return durableHandler<N, AnalyticsThis>(type, {
    group: ANALYTICS_GROUP,
    batch: { maxSize: DURABLE_BATCH },
    async batchHandler(envelopes) {
      await handleCounted(this, type, envelopes);
    },
  });
}

export function analyticsChannels(): DurableChannels {
  return Object.assign(
    {},
    ...COUNTED_EVENTS.map((type) => countedChannel(type)),
    durableHandler<"user.deleted", AnalyticsThis>("user.deleted", {
      group: ANALYTICS_GROUP,
      async handler(envelope) {
        await forgetUser(this, envelope.payload.userId);
      },
    }),
    durableHandler<"video.deleted", AnalyticsThis>("video.deleted", {
      group: ANALYTICS_GROUP,
      async handler(envelope) {
        await recordVideosDeleted(this, [envelope]);
      },
    }),
  ) as DurableChannels;
}

export function analyticsEvents(): Record<string, ServiceEvent> {
  return {
    ...onEvent("stream.viewers.sampled", function (this: AnalyticsThis, sample) {
      const event = viewerSampleFacts(sample);
      if (event) this.buffer.add([event]);
    }),
    ...onEvent("chat.messages.stored", async function (this: AnalyticsThis, stored) {
      this.buffer.add(await chatFacts(stored, (id, at) => this.viewerKeys.hash(id, at)));
    }),
    ...onEvent("video.viewed", async function (this: AnalyticsThis, view) {
      const event = await videoViewFacts(view, (id, at) => this.viewerKeys.hash(id, at));
      if (event) this.buffer.add([event]);
    }),
  };
}
