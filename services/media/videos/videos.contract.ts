/**
 * The actions the videos service offers, as other services and the gateway
 * call them: name → params and result. Handlers in videos.service.ts are
 * checked against these (`satisfies ServiceActions<"videos", VideosThis>`),
 * callers through `callAction`.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { CommentDoc, VIDEO_BOOKKEEPING, VideoDoc } from "./video.types";
import type { Readable } from "node:stream";
import type { VideoClipSource } from "./clip-source";
import type { ReportedComment } from "./comment-lookup";
import type { CreateCommentParams, ListCommentsParams } from "./comment-actions";
import type { PlaybackResult } from "./playback-actions";
import type { CompleteUploadParams, UploadGrant, UploadUrlParams } from "./upload-actions";
import type { CreateVideoParams, UpdateVideoParams, VideoList } from "./video-actions";
import type { ListVideosParams, VideoPage } from "./video-listing";
import type { CommentPage, CommentView, VideoView } from "./video.types";

/** A stored video as the user's data export shows it: without our pipeline's bookkeeping and storage keys. */
export type ExportedVideo = Omit<VideoDoc, (typeof VIDEO_BOOKKEEPING)[number] | "renditions"> &
  Pick<VideoView, "renditions">;

/**
 * videos' section of GET /me/export: the user's videos and comments (without who removed a comment: a
 * moderator's identity is not the user's data).
 */
export type VideosUserData = { videos: ExportedVideo[]; comments: Array<Omit<CommentDoc, "removedBy">> };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what videos holds of a user, for GET /me/export (the user or an admin). */
    "videos.exportUserData": { params: UserDataParams; result: VideosUserData };
    "videos.create": { params: CreateVideoParams; result: VideoView };
    "videos.get": { params: { id: string }; result: VideoView };
    "videos.getMany": { params: { ids: string[] }; result: VideoView[] };
    /** `ids`: comma-separated, at most 50 (a query string's list). */
    "videos.getByIds": { params: { ids: string }; result: VideoList };
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
    /** Internal (clips): the kept source of a ready video the caller may watch. */
    "videos.clipSource": { params: { id: string }; result: VideoClipSource };
    /** Internal (moderation): a comment of a video the caller may see, for a report. */
    "videos.commentForReport": { params: { videoId: string; id: string }; result: ReportedComment };
  }
}
