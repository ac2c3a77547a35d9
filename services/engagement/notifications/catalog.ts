/**
 * Every notification type Arena sends: the event it comes from, who receives
 * it, its text and link, and the channels it may use. Adding a type is one
 * entry here (docs/notifications.md); delivery, preferences and the web
 * client's preferences page read this list.
 */
import "../../media/streams/streams.events";
import "../../media/videos/videos.events";
import "../../core/users/users.events";
import "../../content/blog/blog.events";
import "../../content/tournaments/tournaments.events";
import { accountReinstated, accountSuspended, reportResolved, scheduleStarting } from "./catalog-community";
import { defineType, type AnyNotificationType } from "./catalog.types";
import { plainText } from "./plain-text";

const TITLE = 120;
const BODY = 280;
const ALL = ["inApp", "mobile", "web"] as const;
const IN_APP_ONLY = ["inApp"] as const;
const everywhere = { inApp: true, mobile: true, web: true };
const inboxOnly = { inApp: true, mobile: false, web: false };

/** A channel restarting its stream this often sends one go-live alert (3 restarts in 10 min: one alert). */
export const LIVE_COLLAPSE_WINDOW_MS = 10 * 60_000;

const live = defineType({
  type: "stream.live",
  label: "A channel you follow goes live",
  event: "stream.started",
  channels: ALL,
  defaults: everywhere,
  mutable: true,
  collapseWindowMs: LIVE_COLLAPSE_WINDOW_MS,
  async plan(p, lookup) {
    const channel = await lookup.channel(p.channelId);
    if (!channel) return null;
    return {
      recipients: { followersOf: p.channelId, except: [p.ownerId] },
      sourceKey: `live:${p.sessionId}`,
      channelId: p.channelId,
      actorId: p.ownerId,
      rendered: {
        title: plainText(`${channel.title} is live`, TITLE),
        body: plainText(p.title, BODY) || null,
        link: `/c/${channel.slug}`,
        data: { channelId: p.channelId, sessionId: p.sessionId, category: p.category },
      },
    };
  },
});

const newVideo = defineType({
  type: "video.new",
  label: "A channel you follow publishes a video",
  event: "video.published",
  channels: ALL,
  defaults: { inApp: true, mobile: false, web: true },
  mutable: true,
  async plan(p, lookup) {
    // Recordings of a live session already alerted followers when it went live.
    if (p.visibility !== "public" || p.liveSessionId) return null;
    const channel = await lookup.channel(p.channelId);
    if (!channel) return null;
    return {
      recipients: { followersOf: p.channelId, except: [p.ownerId] },
      sourceKey: `video:${p.videoId}`,
      channelId: p.channelId,
      actorId: p.ownerId,
      rendered: {
        title: plainText(`New video from ${channel.title}`, TITLE),
        body: plainText(p.title, BODY) || null,
        link: `/v/${p.videoId}`,
        data: { channelId: p.channelId, videoId: p.videoId },
      },
    };
  },
});

const newFollower = defineType({
  type: "channel.follower",
  label: "Someone follows your channel",
  event: "channel.followed",
  channels: ALL,
  defaults: inboxOnly,
  mutable: false,
  async plan(p, lookup) {
    const [channel, follower] = await Promise.all([lookup.channel(p.channelId), lookup.user(p.userId)]);
    if (!channel || !follower || channel.ownerId === p.userId) return null;
    return {
      recipients: { userIds: [channel.ownerId] },
      // One alert per follower per channel: unfollow/follow loops do not spam the creator.
      sourceKey: `follow:${p.userId}:${p.channelId}`,
      channelId: p.channelId,
      actorId: p.userId,
      rendered: {
        title: plainText(`${follower.displayName || follower.username} followed ${channel.title}`, TITLE),
        body: null,
        link: `/c/${channel.slug}`,
        data: { channelId: p.channelId, followerId: p.userId },
      },
    };
  },
});

const videoCommentReply = defineType({
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

const videoComment = defineType({
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

const newPost = defineType({
  type: "post.new",
  label: "A channel you follow publishes a blog post",
  event: "post.published",
  channels: ALL,
  defaults: { inApp: true, mobile: false, web: false },
  mutable: true,
  async plan(p, lookup) {
    if (!p.channelId || p.visibility !== "public") return null;
    const channel = await lookup.channel(p.channelId);
    if (!channel) return null;
    return {
      recipients: { followersOf: p.channelId, except: [p.authorId] },
      sourceKey: `post:${p.postId}`,
      channelId: p.channelId,
      actorId: p.authorId,
      rendered: {
        title: plainText(`${channel.title} posted: ${p.title}`, TITLE),
        body: plainText(p.summary, BODY) || null,
        link: `/blog/${p.blogId}/${p.slug}`,
        data: { channelId: p.channelId, postId: p.postId },
      },
    };
  },
});

const postComment = defineType({
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

const registration = defineType({
  type: "tournament.registration",
  label: "Your tournament registration is confirmed",
  event: "tournament.registration.confirmed",
  channels: ALL,
  defaults: everywhere,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set([p.userId, ...p.memberIds])] },
      sourceKey: `registration:${p.tournamentId}:${p.entrantId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: plainText(`You're in: ${p.tournamentName}`, TITLE),
        body: p.fromWaitlist ? "A spot opened and you moved up from the waitlist." : null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId, entrantId: p.entrantId },
      },
    };
  },
});

const matchReady = defineType({
  type: "tournament.match",
  label: "Your tournament match is ready",
  event: "tournament.match.ready",
  channels: ALL,
  defaults: everywhere,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set(p.sides.flatMap((s) => s.memberIds))] },
      sourceKey: `match:${p.matchId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: `Your match is ready (round ${p.round})`,
        body: null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId, matchId: p.matchId },
      },
    };
  },
});

const cancelled = defineType({
  type: "tournament.cancelled",
  label: "A tournament you registered for is cancelled",
  event: "tournament.cancelled",
  channels: IN_APP_ONLY,
  defaults: inboxOnly,
  mutable: false,
  async plan(p) {
    return {
      recipients: { userIds: [...new Set(p.memberIds)] },
      sourceKey: `tournament-cancelled:${p.tournamentId}`,
      channelId: null,
      actorId: null,
      rendered: {
        title: plainText(`${p.name} was cancelled`, TITLE),
        body: null,
        link: `/tournaments/${p.tournamentId}`,
        data: { tournamentId: p.tournamentId },
      },
    };
  },
});

/** The catalog, in the order the preferences page lists it. */
export const NOTIFICATION_TYPES: readonly AnyNotificationType[] = [
  live,
  scheduleStarting,
  newVideo,
  newPost,
  newFollower,
  videoComment,
  videoCommentReply,
  postComment,
  registration,
  matchReady,
  cancelled,
  reportResolved,
  accountSuspended,
  accountReinstated,
];

export const TYPE_NAMES = NOTIFICATION_TYPES.map((t) => t.type);

export function typeSpec(type: string): AnyNotificationType | undefined {
  return NOTIFICATION_TYPES.find((t) => t.type === type);
}
