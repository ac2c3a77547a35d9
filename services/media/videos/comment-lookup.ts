import { NotFoundError } from "../../../lib/errors";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadViewable } from "./video-actions";

/** A comment as a report records it: who wrote what, on which channel's video. */
export interface ReportedComment {
  commentId: string;
  videoId: string;
  channelId: string;
  authorId: string;
  body: string;
  status: string;
}

/** Internal (moderation): a comment of a video the caller may see; 404 otherwise. */
export async function commentForReport(
  svc: VideosThis,
  ctx: VideosContext<{ videoId: string; id: string }>,
): Promise<ReportedComment> {
  const video = await loadViewable(svc, ctx, ctx.params.videoId);
  const comment = await svc.stores.comments.findById(ctx.params.id);
  if (!comment || comment.videoId !== video.id) throw new NotFoundError("Comment", ctx.params.id);
  return {
    commentId: comment.id,
    videoId: video.id,
    channelId: video.channelId,
    authorId: comment.authorId,
    body: comment.body,
    status: comment.status,
  };
}
