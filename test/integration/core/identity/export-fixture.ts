/**
 * A user with at least one record in every list of every GET /me/export
 * section, so the response check meets each record schema on real data:
 * what an action writes is written through it (channels, reports,
 * registrations), the rest straight into the owning service's store. The
 * records another user holds (a moderator who deleted or hid the user's
 * lines, who acted on them) are there to show they stay out of the archive,
 * and so is the bookkeeping the records carry for our infrastructure (ingest
 * node and connection, storage keys, the identity provider's subject), each
 * seeded with a value of its own that the archive must not contain.
 */
import { randomUUID } from "node:crypto";
import type { Service } from "moleculer";
import type { BlogThis } from "../../../../services/content/blog/blog.context";
import type { ChannelsThis } from "../../../../services/core/channels/channels.context";
import { memberId } from "../../../../services/core/channels/channels.entities";
import type { ModerationThis } from "../../../../services/core/moderation/moderation.context";
import type { SchedulesThis } from "../../../../services/core/schedules/schedules.context";
import type { UsersThis } from "../../../../services/core/users/users.context";
import { blockId, followId } from "../../../../services/core/users/users.entities";
import type { ChatThis } from "../../../../services/media/chat/chat.context";
import type { ClipsThis } from "../../../../services/media/clips/clips.context";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import type { VideosThis } from "../../../../services/media/videos/videos.context";
import { ok } from "../../../helpers/api-client";
import { uniqueId } from "../../../helpers/infra";
import type { CoreHarness, TestUser } from "../core-harness";

const meta = (u: TestUser, roles: string[]) => ({ meta: { user: { id: u.id, username: u.username, roles } } });

async function createChannel(u: TestUser): Promise<string> {
  const slug = uniqueId("xf").slice(0, 30).toLowerCase();
  return ok(await u.api.channels.create({ slug, title: "Exported" }), 201).channel.id;
}

/** The values seeded into bookkeeping fields, none of which may appear in the archive. */
export interface SeededBookkeeping {
  values: string[];
}

/** Gives `user` a record in every export list; `other` is a second user (owner of the other channel, a moderator). */
export async function seedEveryExportList(h: CoreHarness, user: TestUser, other: TestUser): Promise<SeededBookkeeping> {
  const stores = <T extends { stores: unknown }>(name: string) =>
    (h.broker.getLocalService(name) as Service as unknown as T).stores as T["stores"];
  const [channelId, otherChannel] = await Promise.all([createChannel(user), createChannel(other)]);
  const now = new Date();
  const tag = uniqueId("bk");
  const infra = {
    nodeId: `node-${tag}`,
    connectionId: `conn-${tag}`,
    recordingKey: `recordings/${tag}/part0.ts`,
    externalSubject: `kc-${tag}`,
    sourceId: `src-${tag}`,
    videoSourceKey: `uploads/${tag}/source`,
    masterPlaylistKey: `vod/${tag}/master.m3u8`,
    playlistKey: `vod/${tag}/720p/index.m3u8`,
    videoThumbnailKey: `vod/${tag}/thumb.jpg`,
    clipSourceKey: `recordings/${tag}/clip-source.ts`,
    clipStorageKey: `clips/${tag}/clip.mp4`,
    clipThumbnailKey: `clips/${tag}/thumb.jpg`,
    coverKey: `covers/${tag}/cover.jpg`,
  };

  await stores<ChannelsThis>("channels").members.insert({
    id: memberId(otherChannel, user.id, "moderator"),
    channelId: otherChannel,
    userId: user.id,
    role: "moderator",
  });
  const users = stores<UsersThis>("users");
  await users.profiles.updateById(user.id, { externalSubject: infra.externalSubject });
  await users.follows.insert({ id: followId(user.id, otherChannel), userId: user.id, channelId: otherChannel });
  await users.blocks.insert({ id: blockId(user.id, other.id), userId: user.id, blockedUserId: other.id });

  const chat = stores<ChatThis>("chat");
  await chat.messages.insert({
    id: uniqueId("m"),
    channelId: otherChannel,
    userId: user.id,
    username: user.username,
    badges: [],
    text: "gg",
    sentAt: now,
    deleted: true,
    deletedBy: other.id,
    deletedAt: now,
  });
  await chat.moderationLog.insert({
    channelId: otherChannel,
    actorId: user.id,
    action: "timeout",
    targetUserId: other.id,
    detail: { seconds: 60 },
  });

  const sessionId = randomUUID();
  await stores<StreamsThis>("streams").sessions.insert({
    id: sessionId,
    channelId,
    ownerId: user.id,
    status: "ended",
    title: "Exported",
    language: "en",
    provider: "local",
    nodeId: infra.nodeId,
    connectionId: infra.connectionId,
    startedAt: now,
    endedAt: now,
    durationS: 0,
    viewerCount: 0,
    viewersSampledAt: now,
    peakViewers: 3,
    recordingKey: infra.recordingKey,
  });

  const videos = stores<VideosThis>("videos");
  const video = await videos.videos.insert({
    channelId,
    ownerId: user.id,
    title: "Finals",
    description: "",
    tags: [],
    visibility: "public",
    status: "ready",
    origin: "upload",
    sourceId: infra.sourceId,
    sourceKey: infra.videoSourceKey,
    masterPlaylistKey: infra.masterPlaylistKey,
    thumbnailKey: infra.videoThumbnailKey,
    renditions: [{ name: "720p", width: 1280, height: 720, bandwidth: 2_800_000, playlistKey: infra.playlistKey }],
    viewCount: 0,
    commentCount: 1,
    listedAt: now,
  });
  await videos.comments.insert({
    videoId: video.id,
    channelId,
    authorId: user.id,
    authorName: user.username,
    depth: 0,
    body: "first",
    status: "removed",
    removedBy: other.id,
    replyCount: 0,
  });

  const blog = stores<BlogThis>("blog");
  const post = await blog.posts.insert({
    blogId: channelId,
    channelId,
    authorId: user.id,
    authorName: user.username,
    slug: uniqueId("p"),
    title: "Patch notes",
    summary: "",
    bodyMarkdown: "hi",
    bodyHtml: "<p>hi</p>",
    renderedWith: "1",
    coverKey: infra.coverKey,
    tags: [],
    kind: "news",
    status: "published",
    visibility: "public",
    publishedAt: now,
    commentsClosed: false,
    viewCount: 0,
    commentCount: 1,
    revision: 1,
    version: 1,
    changedAt: now,
  });
  await blog.comments.insert({
    postId: post.id,
    blogId: channelId,
    channelId,
    authorId: user.id,
    authorName: user.username,
    depth: 0,
    body: "nice",
    status: "hidden",
    moderatedBy: other.id,
    replyCount: 0,
  });

  const tournament = await h.broker.call<{ id: string }, object>(
    "tournaments.create",
    {
      name: "Cup",
      game: "Arena Fighters",
      format: "single_elimination",
      maxEntrants: 8,
      startsAt: new Date(+now + 864e5),
    },
    meta(other, ["viewer", "organizer"]),
  );
  await h.broker.call("tournaments.openRegistration", { id: tournament.id }, meta(other, ["viewer", "organizer"]));
  await h.broker.call("tournaments.register", { id: tournament.id }, meta(user, ["viewer"]));

  const schedules = stores<SchedulesThis>("schedules");
  const segment = await schedules.segments.insert({
    channelId,
    title: "Speedruns",
    durationMin: 60,
    startAt: new Date(+now + 864e5),
    recurring: false,
    timezone: "UTC",
    cancelled: false,
    cancelledOccurrences: [],
    version: 1,
  });
  await schedules.sessions.insert({
    id: sessionId,
    channelId,
    segmentId: segment.id,
    occurrenceStart: segment.startAt,
    startedAt: now,
  });

  const clips = stores<ClipsThis>("clips");
  await clips.clips.insert({
    channelId,
    ownerId: user.id,
    ownerName: user.username,
    title: "Nice play",
    sourceKind: "live",
    sessionId,
    sourceKey: infra.clipSourceKey,
    durationS: 10,
    requestedAt: now,
    status: "ready",
    storageKey: infra.clipStorageKey,
    thumbnailKey: infra.clipThumbnailKey,
    viewCount: 0,
    attempts: 0,
  });
  await clips.markers.insert({ channelId, sessionId, offsetS: 5, description: "boss", createdBy: user.id });

  await seedModerationBetween(h, user, other);
  return { values: Object.values(infra) };
}

/**
 * The moderation section's three lists: a report `user` files against `other` (through the action), a ban `user`
 * took on `other` (reason "a") and a timeout `other` took on `user` (reason "b"), whose actor must stay out of
 * the user's archive.
 */
export async function seedModerationBetween(
  h: CoreHarness,
  user: TestUser,
  other: TestUser,
): Promise<{ reportId: string }> {
  const receipt = await h.broker.call<{ reportId: string }, object>(
    "moderation.report",
    { targetKind: "user", targetId: other.id, reason: "spam", text: "bot account" },
    meta(user, ["viewer"]),
  );
  const { audit } = (h.broker.getLocalService("moderation") as Service as unknown as ModerationThis).stores;
  const row = { reportId: null, targetKind: "user" as const, channelId: null, details: {} };
  await audit.insert({
    ...row,
    actorId: user.id,
    action: "ban",
    targetId: other.id,
    targetUserId: other.id,
    reason: "a",
  });
  await audit.insert({
    ...row,
    actorId: other.id,
    action: "timeout",
    targetId: user.id,
    targetUserId: user.id,
    reason: "b",
  });
  return receipt;
}
