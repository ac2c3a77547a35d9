/**
 * The few facts about streams and videos the dashboards need (a session's
 * window and channel, a video's channel and duration), kept from the events
 * so analytics never reads another service's tables. Each write is
 * idempotent and converges whatever the delivery order (an end before its
 * start fills what it knows).
 */
import type { DurableEnvelope, DurableEventName } from "../../../mixins/durable-events";
import type { AnalyticsThis } from "./analytics.context";
import { dropSamplesAfterEnd } from "./live-windows";

type Envelopes<N extends DurableEventName> = Array<DurableEnvelope<N>>;

export async function recordStreamsStarted(svc: AnalyticsThis, envelopes: Envelopes<"stream.started">): Promise<void> {
  for (const { payload: p } of envelopes) {
    const startedAt = new Date(p.startedAt);
    const inserted = await svc.stores.streamSessions.insertIfAbsent({
      id: p.sessionId,
      channelId: p.channelId,
      title: p.title,
      startedAt,
      endedAt: null,
      durationS: null,
      peakViewers: null,
    });
    if (!inserted)
      await svc.stores.streamSessions.updateById(p.sessionId, { channelId: p.channelId, title: p.title, startedAt });
  }
}

export async function recordStreamsEnded(svc: AnalyticsThis, envelopes: Envelopes<"stream.ended">): Promise<void> {
  // Sessions in id order, all before any minute, in one transaction: a batch of samples share-locks the
  // open sessions in id order before its minutes, so the two never wait on each other in a cycle
  // (live-windows.ts); the session row's lock orders this end against such a batch.
  const ends = envelopes.map((e) => e.payload).sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1));
  await svc.db.transaction(async () => {
    for (const p of ends) {
      const endedAt = new Date(p.endedAt);
      const facts = { endedAt, durationS: p.durationS, peakViewers: p.peakViewers };
      const inserted = await svc.stores.streamSessions.insertIfAbsent({
        id: p.sessionId,
        channelId: p.channelId,
        title: "",
        startedAt: new Date(endedAt.getTime() - p.durationS * 1000),
        ...facts,
      });
      if (!inserted) await svc.stores.streamSessions.updateById(p.sessionId, facts);
    }
    // The room's samples heard during the reconnect grace, after the broadcaster left, were no live viewing.
    for (const p of ends) await dropSamplesAfterEnd(svc.db, p.channelId, new Date(p.endedAt));
  });
}

export async function recordVideosCreated(svc: AnalyticsThis, envelopes: Envelopes<"video.created">): Promise<void> {
  for (const { payload: p } of envelopes) {
    const inserted = await svc.stores.videos.insertIfAbsent({
      id: p.videoId,
      channelId: p.channelId,
      title: p.title,
      durationS: null,
      origin: p.origin,
      deleted: false,
    });
    if (!inserted) await svc.stores.videos.updateById(p.videoId, { channelId: p.channelId, origin: p.origin });
  }
}

export async function recordVideosPublished(
  svc: AnalyticsThis,
  envelopes: Envelopes<"video.published">,
): Promise<void> {
  for (const { payload: p } of envelopes) {
    const facts = { channelId: p.channelId, title: p.title, durationS: p.durationS };
    const inserted = await svc.stores.videos.insertIfAbsent({
      id: p.videoId,
      origin: "upload",
      deleted: false,
      ...facts,
    });
    if (!inserted) await svc.stores.videos.updateById(p.videoId, facts);
  }
}

export async function recordVideosDeleted(svc: AnalyticsThis, envelopes: Envelopes<"video.deleted">): Promise<void> {
  for (const { payload: p } of envelopes) {
    const inserted = await svc.stores.videos.insertIfAbsent({
      id: p.videoId,
      channelId: p.channelId,
      title: "",
      durationS: null,
      origin: "upload",
      deleted: true,
    });
    if (!inserted) await svc.stores.videos.updateById(p.videoId, { deleted: true });
  }
}
