/**
 * videos' share of a deletion: the user's videos with every stored object
 * (renditions, uploads, the recordings they came from), jobs, views and the
 * comments on them; the user's comments on others' videos keep their place
 * in threads (replies hang off them) but lose their text and author. A
 * deleted channel's videos go the same way. Idempotent.
 */
import type { Service } from "moleculer";
import { anonymizeAuthorComments } from "../../../lib/comments/anonymize";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import { deleteVideoRecords } from "./video-actions";
import { VIDEO_BOOKKEEPING, type VideoDoc } from "./video.types";
import type { VideosThis } from "./videos.context";
import type { ExportedVideo, VideosUserData } from "./videos.contract";

async function deleteVideos(svc: VideosThis, query: { ownerId: string } | { channelId: string }): Promise<void> {
  for (const video of await svc.stores.videos.find({ query })) await deleteVideoRecords(svc, video, true);
}

async function anonymizeComments(svc: VideosThis, authorId: string): Promise<void> {
  await svc.db.transaction(() =>
    anonymizeAuthorComments(svc.stores.comments, authorId, (comment) =>
      svc.stores.videos.increment(comment.videoId, "commentCount", -1),
    ),
  );
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "videos",
    async handler(this: Service, envelope) {
      const svc = this as unknown as VideosThis;
      await deleteVideos(svc, { ownerId: envelope.payload.userId });
      await anonymizeComments(svc, envelope.payload.userId);
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "videos",
    async handler(this: Service, envelope) {
      await deleteVideos(this as unknown as VideosThis, { channelId: envelope.payload.channelId });
    },
  }),
};

/** videos' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: VideosThis, ctx: ArenaContext<UserDataParams>): Promise<VideosUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const [videos, comments] = await Promise.all([
    svc.stores.videos.find({ query: { ownerId: userId } }),
    svc.stores.comments.find({ query: { authorId: userId } }),
  ]);
  // Who removed a comment is the moderator's data, not the author's.
  return { videos: videos.map(toExportedVideo), comments: comments.map((c) => withoutFields(c, ["removedBy"])) };
}

function toExportedVideo(video: VideoDoc): ExportedVideo {
  const renditions = video.renditions.map(({ playlistKey: _key, ...rendition }) => rendition);
  return { ...withoutFields(video, VIDEO_BOOKKEEPING), renditions };
}
