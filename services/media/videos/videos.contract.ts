/**
 * The actions the videos service offers, as other services and the gateway
 * call them: name → params and result. Handlers in videos.service.ts are
 * checked against these (`satisfies ServiceActions<"videos", VideosThis>`),
 * callers through `callAction`.
 */
import type { Readable } from "node:stream";
import type { CreateCommentParams, ListCommentsParams } from "./comment-actions";
import type { PlaybackResult } from "./playback-actions";
import type { CompleteUploadParams, UploadGrant, UploadUrlParams } from "./upload-actions";
import type { CreateVideoParams, ListVideosParams, UpdateVideoParams, VideoPage } from "./video-actions";
import type { CommentPage, CommentView, VideoView } from "./video.types";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    "videos.create": { params: CreateVideoParams; result: VideoView };
    "videos.get": { params: { id: string }; result: VideoView };
    "videos.getMany": { params: { ids: string[] }; result: VideoView[] };
    "videos.list": { params: ListVideosParams; result: VideoPage };
    "videos.update": { params: UpdateVideoParams; result: VideoView };
    "videos.remove": { params: { id: string }; result: { id: string; deleted: true } };
    /** The request body is the params (a stream); the video id travels in ctx.meta.$params. */
    "videos.upload": { params: Readable; result: VideoView };
    "videos.uploadUrl": { params: UploadUrlParams; result: UploadGrant };
    "videos.completeUpload": { params: CompleteUploadParams; result: VideoView };
    "videos.retry": { params: { id: string }; result: VideoView };
    "videos.playback": { params: { id: string }; result: PlaybackResult };
    "videos.createComment": { params: CreateCommentParams; result: CommentView };
    "videos.listComments": { params: ListCommentsParams; result: CommentPage };
    "videos.editComment": { params: { videoId: string; id: string; body: string }; result: CommentView };
    "videos.deleteComment": { params: { videoId: string; id: string }; result: CommentView };
  }
}
