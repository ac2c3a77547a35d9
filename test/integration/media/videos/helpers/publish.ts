import { waitFor } from "../../../../helpers/infra";
import type { VideoView } from "../../../../../services/media/videos/video.types";
import type { Actor } from "./users";
import { ok } from "./videos-api";

/** Creates a video on the actor's channel, uploads the clip and waits until it is ready. */
export async function publishClip(
  actor: Actor,
  channelId: string,
  clip: Buffer,
  input: { title?: string; visibility?: string } = {},
): Promise<VideoView> {
  const video = ok(
    await actor.videos.create({ channelId, title: input.title ?? "clip", visibility: input.visibility }),
  );
  ok(await actor.videos.upload(video.id, clip, "video/mp4"));
  return waitForStatus(actor, video.id, "ready");
}

export async function waitForStatus(actor: Actor, id: string, status: VideoView["status"]): Promise<VideoView> {
  return waitFor(
    async () => {
      const current = ok(await actor.videos.get(id));
      if (current.status === "failed" && status !== "failed")
        throw new Error(`processing failed: ${current.failureReason}`);
      return current.status === status ? current : null;
    },
    { timeoutMs: 60000, intervalMs: 200, what: `video ${id} ${status}` },
  );
}
