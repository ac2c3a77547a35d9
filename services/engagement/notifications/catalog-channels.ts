/**
 * Catalog entries about a followed channel: its followers hear when it goes
 * live, publishes a video or publishes a blog post (all silenced by muting
 * it), and its owner hears of each new follower.
 */
import "../../media/streams/streams.events";
import "../../media/videos/videos.events";
import "../../core/users/users.events";
import "../../content/blog/blog.events";
import { defineType } from "./catalog.types";
import { ALL, BODY, everywhere, inboxOnly, TITLE } from "./catalog-presets";
import { plainText } from "./plain-text";

/** A channel restarting its stream this often sends one go-live alert (3 restarts in 10 min: one alert). */
export const LIVE_COLLAPSE_WINDOW_MS = 10 * 60_000;

export const live = defineType({
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

export const newVideo = defineType({
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

export const newPost = defineType({
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

export const newFollower = defineType({
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
