import type { RouteTable } from "../../edge/api/route-table";

/**
 * /api/v1/videos/*. Ownership and visibility are enforced in the videos
 * service itself; the gateway only requires a token where one is needed.
 */
export const videosRoutes: RouteTable = {
  routes: [
    {
      method: "GET",
      path: "/videos",
      action: "videos.list",
      auth: "optional",
      summary: "List videos (per channel, category, tag; paged)",
    },
    {
      method: "POST",
      path: "/videos",
      action: "videos.create",
      status: 201,
      auth: "required",
      summary: "Create a video on the caller's channel",
    },
    {
      method: "GET",
      path: "/videos/:id",
      action: "videos.get",
      auth: "optional",
      summary: "A video (private/unlisted rules applied)",
    },
    {
      method: "PATCH",
      path: "/videos/:id",
      action: "videos.update",
      auth: "required",
      summary: "Edit a video (owner)",
    },
    {
      method: "DELETE",
      path: "/videos/:id",
      action: "videos.remove",
      auth: "required",
      summary: "Delete a video and its media (owner)",
    },
    {
      method: "PUT",
      path: "/videos/:id/source",
      action: "videos.upload",
      auth: "required",
      stream: true,
      summary: "Upload the source (raw video body or multipart; owner)",
    },
    {
      method: "POST",
      path: "/videos/:id/upload-url",
      action: "videos.uploadUrl",
      auth: "required",
      summary: "Presigned S3 upload URL (owner; S3 storage)",
    },
    {
      method: "POST",
      path: "/videos/:id/upload-complete",
      action: "videos.completeUpload",
      auth: "required",
      summary: "Verify a direct upload and start processing (owner)",
    },
    {
      method: "POST",
      path: "/videos/:id/retry",
      action: "videos.retry",
      auth: "required",
      summary: "Retry processing of a failed video (owner)",
    },
    {
      method: "GET",
      path: "/videos/:id/playback",
      action: "videos.playback",
      auth: "optional",
      summary: "Signed HLS playback URL; counts a view",
    },
    {
      method: "GET",
      path: "/videos/:videoId/comments",
      action: "videos.listComments",
      auth: "optional",
      summary: "Comments (top level, or one thread with rootId)",
    },
    {
      method: "POST",
      path: "/videos/:videoId/comments",
      action: "videos.createComment",
      status: 201,
      auth: "required",
      summary: "Comment or reply",
    },
    {
      method: "PATCH",
      path: "/videos/:videoId/comments/:id",
      action: "videos.editComment",
      auth: "required",
      summary: "Edit a comment (author)",
    },
    {
      method: "DELETE",
      path: "/videos/:videoId/comments/:id",
      action: "videos.deleteComment",
      auth: "required",
      summary: "Delete (author) or remove (owner, moderators) a comment",
    },
  ],
};
