import { assertSafeKey } from "../../../lib/storage";
import type { DurableEnvelope } from "../../../mixins/durable-events";
import type { VideosThis } from "./videos.context";
import { createdPayload, newVideoDoc } from "./video-actions";
import { broadcastEvent } from "../../../lib/contracts";
import "../streams/streams.events";

/** Recording ids become part of the video id and of storage keys. */
const SOURCE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function recordingVideoId(sourceId: string): string {
  return `rec-${sourceId}`;
}

/**
 * A finished live recording becomes a VOD: a video row keyed by the
 * recording id (so a redelivered event finds it and does nothing), its
 * processing job, and video.created — all in one transaction.
 */
export async function intakeRecording(svc: VideosThis, envelope: DurableEnvelope<"video.source.ready">): Promise<void> {
  const source = envelope.payload;
  if (!SOURCE_ID.test(source.sourceId))
    throw new Error(`Refusing recording with unusable sourceId ${JSON.stringify(source.sourceId)}`);
  assertSafeKey(source.storageKey);
  const id = recordingVideoId(source.sourceId);
  const created = await svc.db.transaction(async () => {
    const fresh = newVideoDoc({
      id,
      channelId: source.channelId,
      ownerId: source.ownerId,
      title: source.title.trim().slice(0, 200) || "Past broadcast",
      category: source.category ?? undefined,
      visibility: "public",
      origin: "recording",
      sourceId: source.sourceId,
      liveSessionId: source.sessionId,
    });
    const inserted = await svc.stores.videos.insertIfAbsent({
      ...fresh,
      status: "processing",
      sourceKey: source.storageKey,
      sourceType: "video/mp4",
      durationS: source.durationS,
    });
    if (!inserted) return false;
    await svc.jobQueue.enqueue(id);
    const video = await svc.stores.videos.findById(id);
    if (video) await svc.publishDurable("video.created", createdPayload(video));
    return true;
  });
  if (created) {
    svc.logger.info(`Recording ${source.sourceId} of session ${source.sessionId} queued as video ${id}`);
    // The durable consumer runs this inside its own transaction (with the
    // processed-event mark): wake workers only once the job row is committed.
    svc.db.afterCommit(() => {
      svc.jobRunner.kick();
      void broadcastEvent(svc.broker, "videos.job.queued", { videoId: id });
    });
  }
}
