/**
 * What each durable event of the owning services changes in the index.
 * Pure mapping (payload → DocChange); the consumers in index-consumers.ts
 * apply the changes. Positions: blog posts and follower counts carry their
 * own version; the other producers' events are placed by the time they happened.
 */
import type { PostDeleted, PostPublished, PostUnpublished, PostUpdated } from "../../content/blog/blog.events";
import type {
  ChannelCreated,
  ChannelFollowersChanged,
  ChannelSuspensionChanged,
  ChannelUpdated,
} from "../../core/channels/channels.events";
import type { UserRegistered } from "../../core/identity/identity.events";
import type { UserProvisioned, UserUpdated } from "../../core/users/users.events";
import type { StreamEnded, StreamStarted, StreamUpdated } from "../../media/streams/streams.events";
import type { VideoDeleted, VideoPublished, VideoUpdated } from "../../media/videos/videos.events";
import type { TournamentUpdated } from "../../content/tournaments/tournaments.events";
import type { DocChange, DocFields, Position, SearchDoc } from "./search-doc";

export const channelPath = (slug: string): string => `/c/${encodeURIComponent(slug)}`;
export const videoPath = (id: string): string => `/v/${encodeURIComponent(id)}`;
export const tournamentPath = (id: string): string => `/tournaments/${encodeURIComponent(id)}`;
export const postPath = (blogId: string, slug: string): string =>
  `/blog/${encodeURIComponent(blogId)}/${encodeURIComponent(slug)}`;

/** What a deleted document keeps: nothing searchable (its text is erased), only the tombstone and its guards. */
export const ERASED: Partial<DocFields> = { deleted: true, title: "", body: "", tags: [], listed: false };

export function channelCreated(p: ChannelCreated, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    title: p.title,
    category: p.category,
    ownerId: p.ownerId,
    channelId: p.channelId,
    path: channelPath(p.slug),
    listed: true,
  };
  return [{ type: "channel", sourceId: p.channelId, aspect: "content", position, fields }];
}

export function channelUpdated(p: ChannelUpdated, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    title: p.title,
    category: p.category,
    tags: p.tags,
    language: p.language,
    ownerId: p.ownerId,
    channelId: p.channelId,
    path: channelPath(p.slug),
    listed: true,
  };
  return [{ type: "channel", sourceId: p.channelId, aspect: "content", position, fields }];
}

/** The channel goes live, and its live stream appears (with the channel's tags and link, as the index holds them). */
export function streamStarted(p: StreamStarted, position: Position, channel: SearchDoc | undefined): DocChange[] {
  return [
    { type: "channel", sourceId: p.channelId, aspect: "live", position, fields: { live: true, viewers: 0 } },
    {
      type: "stream",
      sourceId: p.channelId,
      aspect: "content",
      position,
      fields: {
        title: p.title,
        category: p.category,
        language: p.language,
        ownerId: p.ownerId,
        channelId: p.channelId,
        tags: channel?.tags ?? [],
        path: channel?.path ?? null,
        body: channel?.title ?? "",
        publishedAt: p.startedAt,
        listed: true,
      },
    },
    { type: "stream", sourceId: p.channelId, aspect: "live", position, fields: { live: true, viewers: 0 } },
  ];
}

export function streamUpdated(p: StreamUpdated, position: Position): DocChange[] {
  return [
    {
      type: "stream",
      sourceId: p.channelId,
      aspect: "content",
      position,
      fields: { title: p.title, category: p.category },
    },
  ];
}

export function streamEnded(p: StreamEnded, position: Position): DocChange[] {
  return [
    { type: "channel", sourceId: p.channelId, aspect: "live", position, fields: { live: false } },
    { type: "stream", sourceId: p.channelId, aspect: "live", position, fields: { live: false } },
  ];
}

function videoFields(p: VideoPublished | VideoUpdated): Partial<DocFields> {
  return {
    title: p.title,
    body: p.description,
    tags: p.tags,
    category: p.category,
    ownerId: p.ownerId,
    channelId: p.channelId,
  };
}

export function videoPublished(p: VideoPublished, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    ...videoFields(p),
    path: videoPath(p.videoId),
    durationS: p.durationS,
    publishedAt: p.publishedAt,
    listed: p.visibility === "public",
  };
  return [{ type: "video", sourceId: p.videoId, aspect: "content", position, fields }];
}

export function videoUpdated(p: VideoUpdated, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    ...videoFields(p),
    path: videoPath(p.videoId),
    listed: p.visibility === "public" && p.status === "ready",
  };
  return [{ type: "video", sourceId: p.videoId, aspect: "content", position, fields }];
}

export function videoDeleted(p: VideoDeleted, position: Position): DocChange[] {
  return [{ type: "video", sourceId: p.videoId, aspect: "content", position, fields: ERASED }];
}

export function userRegistered(p: UserRegistered, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    title: p.displayName || p.username,
    tags: [p.username],
    ownerId: p.userId,
    listed: true,
  };
  return [{ type: "user", sourceId: p.userId, aspect: "content", position, fields }];
}

export function userProvisioned(p: UserProvisioned, position: Position): DocChange[] {
  const fields: Partial<DocFields> = {
    title: p.displayName || p.username,
    tags: [p.username],
    ownerId: p.userId,
    listed: true,
  };
  return [{ type: "user", sourceId: p.userId, aspect: "content", position, fields }];
}

/** A channel suspended or reinstated: the channel and its live stream leave the results, or come back. */
export function channelSuspension(p: ChannelSuspensionChanged, fallbackAt: number): DocChange[] {
  const at = Date.parse(p.at);
  const position = { at: Number.isFinite(at) ? at : fallbackAt };
  const fields = { suspended: p.suspended };
  return [
    { type: "channel", sourceId: p.channelId, aspect: "suspension", position, fields },
    { type: "stream", sourceId: p.channelId, aspect: "suspension", position, fields },
  ];
}

/**
 * The channel's follower count, absolute: placed by the channel's follower version, so an older count delivered
 * late (or again) never replaces a newer one. The time only orders it against a reindex's read, which has no version.
 */
export function channelFollowersChanged(p: ChannelFollowersChanged, fallbackAt: number): DocChange[] {
  const at = Date.parse(p.changedAt);
  const position = { version: p.followerVersion, at: Number.isFinite(at) ? at : fallbackAt };
  return [
    { type: "channel", sourceId: p.channelId, aspect: "followers", position, fields: { followers: p.followerCount } },
  ];
}

/** Tombstones for documents of a deleted user or channel (found by the consumer: owned by, or of the channel). */
export function erased(docs: { type: SearchDoc["type"]; sourceId: string }[], position: Position): DocChange[] {
  return docs.map((d) => ({ type: d.type, sourceId: d.sourceId, aspect: "content", position, fields: ERASED }));
}

export function userUpdated(p: UserUpdated, position: Position): DocChange[] {
  return [{ type: "user", sourceId: p.userId, aspect: "content", position, fields: { title: p.displayName } }];
}

/** Drafts and cancelled tournaments are not public. */
export function tournamentListed(status: string): boolean {
  return status !== "draft" && status !== "cancelled";
}

export function tournamentUpdated(p: TournamentUpdated, position: Position): DocChange[] {
  return [
    {
      type: "tournament",
      sourceId: p.tournamentId,
      aspect: "content",
      position,
      fields: {
        title: p.name,
        tags: [p.game, p.format.replace(/_/g, " ")],
        category: p.category,
        ownerId: p.organizerId,
        path: tournamentPath(p.tournamentId),
        publishedAt: p.startsAt,
      },
    },
    tournamentStatus(p.tournamentId, p.status, position),
  ];
}

export function tournamentStatus(tournamentId: string, status: string, position: Position): DocChange {
  return {
    type: "tournament",
    sourceId: tournamentId,
    aspect: "status",
    position,
    fields: { listed: tournamentListed(status), live: status === "running" },
  };
}

function postFields(p: PostPublished | PostUpdated): Partial<DocFields> {
  return {
    title: p.title,
    body: p.summary,
    tags: p.tags,
    category: p.category,
    ownerId: p.authorId,
    channelId: p.channelId,
    path: postPath(p.blogId, p.slug),
  };
}

export function postPublished(p: PostPublished, at: number): DocChange[] {
  const fields = { ...postFields(p), publishedAt: p.publishedAt, listed: p.visibility === "public" };
  return [{ type: "post", sourceId: p.postId, aspect: "content", position: { version: p.version, at }, fields }];
}

export function postUpdated(p: PostUpdated, at: number): DocChange[] {
  const fields = {
    ...postFields(p),
    publishedAt: p.publishedAt,
    listed: p.status === "published" && p.visibility === "public",
  };
  return [{ type: "post", sourceId: p.postId, aspect: "content", position: { version: p.version, at }, fields }];
}

export function postUnpublished(p: PostUnpublished, at: number): DocChange[] {
  const position = { version: p.version, at };
  return [{ type: "post", sourceId: p.postId, aspect: "content", position, fields: { listed: false } }];
}

export function postDeleted(p: PostDeleted, at: number): DocChange[] {
  const position = { version: p.version, at };
  return [{ type: "post", sourceId: p.postId, aspect: "content", position, fields: ERASED }];
}
