import { ConflictError } from "../../../lib/errors";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadViewable } from "./video-actions";

/** Where clips of a VOD are cut from: its kept source, for a caller allowed to watch it. */
export interface VideoClipSource {
  videoId: string;
  channelId: string;
  title: string;
  visibility: "public" | "unlisted" | "private";
  /** Storage key of the source (upload or live recording), kept after transcoding. */
  sourceKey: string;
  durationS: number;
  liveSessionId: string | null;
}

/** Internal (clips): 404 for a video the caller may not see, 409 until it is ready. */
export async function clipSource(svc: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoClipSource> {
  const video = await loadViewable(svc, ctx, ctx.params.id);
  if (video.status !== "ready" || !video.sourceKey || video.durationS === null)
    throw new ConflictError("The video is not ready yet");
  return {
    videoId: video.id,
    channelId: video.channelId,
    title: video.title,
    visibility: video.visibility,
    sourceKey: video.sourceKey,
    durationS: video.durationS,
    liveSessionId: video.liveSessionId,
  };
}
