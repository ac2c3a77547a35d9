/**
 * Catalog entries about comments: a video's owner hears of comments on it, a
 * comment's author of replies to it (the reply alert wins when both apply),
 * and a post's author of comments on the post or replies to them.
 */
import "../../media/videos/videos.events";
import "../../content/blog/blog.events";
import { defineType } from "./catalog.types";
import { ALL, BODY, everywhere, inboxOnly, TITLE } from "./catalog-presets";
import { plainText } from "./plain-text";

export const videoCommentReply = defineType({
  type: "comment.reply",
  label: "Someone replies to your comment",
  event: "comment.created",
  channels: ALL,
  defaults: everywhere,
  mutable: false,
  async plan(p, lookup) {
    if (!p.parentAuthorId || p.parentAuthorId === p.authorId) return null;
    const author = await lookup.user(p.authorId);
    if (!author) return null;
    return {
      recipients: { userIds: [p.parentAuthorId] },
      sourceKey: `comment:${p.commentId}`,
      channelId: null,
      actorId: p.authorId,
      rendered: {
        title: plainText(`${author.displayName || author.username} replied to your comment`, TITLE),
        body: plainText(p.body, BODY) || null,
        link: `/v/${p.videoId}`,
        data: { videoId: p.videoId, commentId: p.commentId },
      },
    };
  },
});

export const videoComment = defineType({
  type: "video.comment",
  label: "Someone comments on your video",
  event: "comment.created",
  channels: ALL,
  defaults: inboxOnly,
  mutable: false,
  async plan(p, lookup) {
    // The owner gets the reply alert instead when the comment answers them.
    if (p.videoOwnerId === p.authorId || p.parentAuthorId === p.videoOwnerId) return null;
    const author = await lookup.user(p.authorId);
    if (!author) return null;
    return {
      recipients: { userIds: [p.videoOwnerId] },
      sourceKey: `comment:${p.commentId}`,
      channelId: null,
      actorId: p.authorId,
      rendered: {
        title: plainText(`${author.displayName || author.username} commented on your video`, TITLE),
        body: plainText(p.body, BODY) || null,
        link: `/v/${p.videoId}`,
        data: { videoId: p.videoId, commentId: p.commentId },
      },
    };
  },
});

export const postComment = defineType({
  type: "post.comment",
  label: "Someone comments on your post or replies to you",
  event: "post.comment.created",
  channels: ALL,
  defaults: inboxOnly,
  mutable: false,
  async plan(p, lookup) {
    const to = p.parentAuthorId ?? p.postAuthorId;
    if (to === p.authorId) return null;
    const author = await lookup.user(p.authorId);
    if (!author) return null;
    const who = author.displayName || author.username;
    return {
      recipients: { userIds: [to] },
      sourceKey: `post-comment:${p.commentId}`,
      channelId: null,
      actorId: p.authorId,
      rendered: {
        title: plainText(p.parentAuthorId ? `${who} replied to you` : `${who} commented on ${p.postTitle}`, TITLE),
        body: plainText(p.body, BODY) || null,
        link: `/blog/${p.blogId}?post=${encodeURIComponent(p.postId)}`,
        data: { postId: p.postId, commentId: p.commentId },
      },
    };
  },
});
