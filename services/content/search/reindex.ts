/**
 * search.reindex: rebuilds the index from the owning services' list
 * actions, read as an anonymous visitor (so exactly what is public), without
 * downtime: documents are upserted page by page while searches keep running
 * on the live table, and each page's position is the time it was read, so
 * an event newer than the read wins and an older one loses, whichever
 * commits first. When every page of a type was read, that type's documents
 * the sweep did not see and no event touched since it began are hidden
 * (made private or removed while search was not listening). Suspensions are
 * re-read too (channels' own, and every indexed owner's account from
 * identity), since their events may be what search missed.
 */
import { callAction } from "../../../lib/contracts";
import type { PublicChannel } from "../../core/channels/channel-view";
import type { PostSummaryView } from "../blog/post.types";
import type { TournamentView } from "../tournaments/tournament.types";
import type { VideoView } from "../../media/videos/video.types";
import * as E from "./event-changes";
import { indexChanges } from "./index-consumers";
import { recordOwnerStates } from "./suspended-owners";
import type { DocChange, DocType, Position } from "./search-doc";
import type { ReindexResult, ReindexType, SearchThis } from "./search.context";
import "../../core/channels/channels.contract";
import "../../core/identity/identity.contract";
import "../../core/users/users.contract";
import "../../media/videos/videos.contract";
import "../blog/blog.contract";
import "../tournaments/tournaments.contract";

export type { ReindexResult, ReindexType } from "./search.context";
export const REINDEX_TYPES: ReindexType[] = ["channel", "user", "video", "tournament", "post"];

function channelChanges(c: PublicChannel, position: Position): DocChange[] {
  const changes = E.channelUpdated({ ...c, channelId: c.id, changed: [], updatedAt: c.updatedAt }, position);
  // The count as read now; a channel.followers.changed newer than the read wins (search-doc.ts, isNewer).
  const followers = { followers: c.followerCount };
  changes.push({ type: "channel", sourceId: c.id, aspect: "followers", position, fields: followers });
  changes.push({ type: "channel", sourceId: c.id, aspect: "live", position, fields: { live: c.isLive } });
  // The live stream as the channel shows it (the session's own title arrives with its next event).
  changes.push({
    type: "stream",
    sourceId: c.id,
    aspect: "content",
    position,
    fields: {
      title: c.title,
      category: c.category,
      language: c.language,
      ownerId: c.ownerId,
      channelId: c.id,
      tags: c.tags,
      path: E.channelPath(c.slug),
      body: c.title,
      publishedAt: c.liveSince,
      listed: true,
    },
  });
  changes.push({ type: "stream", sourceId: c.id, aspect: "live", position, fields: { live: c.isLive } });
  return changes;
}

function videoChanges(v: VideoView, position: Position): DocChange[] {
  const changes = E.videoPublished(
    { ...v, videoId: v.id, durationS: v.durationS ?? 0, publishedAt: v.publishedAt ?? v.createdAt },
    position,
  );
  const listed = v.visibility === "public" && v.status === "ready";
  changes.push({ type: "video", sourceId: v.id, aspect: "content", position, fields: { listed } });
  changes.push({ type: "video", sourceId: v.id, aspect: "stats", position, fields: { views: v.viewCount } });
  return changes;
}

function tournamentChanges(t: TournamentView, position: Position): DocChange[] {
  return E.tournamentUpdated({ ...t, tournamentId: t.id, updatedAt: new Date(position.at).toISOString() }, position);
}

function postChanges(p: PostSummaryView, at: number): DocChange[] {
  const changes = E.postUpdated({ ...p, postId: p.id, blogId: p.channelId ?? "site" }, at);
  changes.push({ type: "post", sourceId: p.id, aspect: "stats", position: { at }, fields: { views: p.viewCount } });
  return changes;
}

/** One page of a source: its documents' changes, and whether there is more. */
type PageReader = (cursor: string | number | null) => Promise<{ changes: DocChange[]; next: string | number | null }>;

export async function reindex(svc: SearchThis, types: ReindexType[] = REINDEX_TYPES): Promise<ReindexResult> {
  const startedAt = new Date();
  const size = svc.settings.reindexPageSize;
  const broker = svc.broker;
  const owners = new Set<string>();
  const readers: Record<ReindexType, PageReader> = {
    channel: async (cursor) => {
      const at = Date.now();
      const page = await callAction(broker, "channels.list", { limit: size, cursor: (cursor as string) ?? undefined });
      for (const c of page.items) owners.add(c.ownerId);
      const suspensions = await channelSuspensions(
        svc,
        page.items.map((c) => c.id),
      );
      return {
        changes: page.items.flatMap((c) => [
          ...channelChanges(c, { at }),
          ...E.channelSuspension(
            { channelId: c.id, ownerId: c.ownerId, suspended: suspensions.has(c.id), at: new Date(at).toISOString() },
            at,
          ),
        ]),
        next: page.nextCursor,
      };
    },
    video: async (cursor) => {
      const at = Date.now();
      const page = await callAction(broker, "videos.list", { limit: size, cursor: (cursor as string) ?? undefined });
      return { changes: page.items.flatMap((v) => videoChanges(v, { at })), next: page.nextCursor };
    },
    tournament: async (cursor) => {
      const at = Date.now();
      const page = await callAction(broker, "tournaments.list", {
        limit: size,
        cursor: (cursor as string) ?? undefined,
      });
      return { changes: page.items.flatMap((t) => tournamentChanges(t, { at })), next: page.nextCursor };
    },
    post: async (cursor) => {
      const at = Date.now();
      const page = await callAction(broker, "blog.list", { limit: size, cursor: (cursor as string) ?? undefined });
      return { changes: page.items.flatMap((p) => postChanges(p, at)), next: page.nextCursor };
    },
    // People: the owners of the channels just read (users have no public listing); others come from events.
    user: async (offset) => {
      const at = Date.now();
      const ids = [...owners].slice(Number(offset ?? 0), Number(offset ?? 0) + Math.min(size, 200));
      const users = ids.length > 0 ? await callAction(broker, "users.getMany", { ids }) : [];
      const changes = users.flatMap((u) =>
        E.userRegistered(
          {
            userId: u.id,
            username: u.username,
            displayName: u.displayName,
            email: null,
            source: "local",
            registeredAt: u.createdAt,
          },
          { at },
        ),
      );
      const next = Number(offset ?? 0) + ids.length;
      return { changes, next: ids.length > 0 && next < owners.size ? next : null };
    },
  };
  const result: ReindexResult = { read: {}, hidden: 0, startedAt: startedAt.toISOString(), tookMs: 0 };
  // Channels first: people are read from their owners.
  const ordered = REINDEX_TYPES.filter((t) => types.includes(t) || (t === "channel" && types.includes("user")));
  for (const type of ordered) {
    let cursor: string | number | null = null;
    let read = 0;
    do {
      const page = await readers[type](cursor);
      await indexChanges(svc, page.changes, startedAt);
      read += new Set(page.changes.map((c) => `${c.type}:${c.sourceId}`)).size;
      cursor = page.next;
    } while (cursor !== null);
    result.read[type] = read;
    if (type !== "user") result.hidden += await hideUnseen(svc, type, startedAt);
  }
  await refreshOwnerSuspensions(svc);
  result.tookMs = Date.now() - startedAt.getTime();
  return result;
}

/** Documents of `type` (and live streams with channels) that the sweep did not see and no event changed since it began. */
async function hideUnseen(svc: SearchThis, type: ReindexType, sweepStart: Date): Promise<number> {
  const types = type === "channel" ? ["channel", "stream"] : [type];
  const rows = await svc.db.query<{ type: DocType; source_id: string }>(
    `SELECT type, source_id FROM documents
      WHERE type = ANY($1::text[]) AND visible AND (swept_at IS NULL OR swept_at < $2::timestamptz)
        AND COALESCE((guards->'content'->>'at')::float8, 0) < $3::float8`,
    [types, sweepStart.toISOString(), sweepStart.getTime()],
  );
  const position = { at: sweepStart.getTime() };
  for (let i = 0; i < rows.length; i += 1000) {
    const changes = rows.slice(i, i + 1000).map((r): DocChange => ({
      type: r.type,
      sourceId: r.source_id,
      aspect: "content",
      position,
      fields: { listed: false },
    }));
    await indexChanges(svc, changes);
  }
  return rows.length;
}

/** Ids among `ids` of channels an admin suspended (the public listing does not say). */
async function channelSuspensions(svc: SearchThis, ids: string[]): Promise<Set<string>> {
  const suspended = new Set<string>();
  for (let i = 0; i < ids.length; i += 200) {
    const { items } = await callAction(svc.broker, "channels.suspensions", { ids: ids.slice(i, i + 200) });
    for (const s of items) if (s.suspended) suspended.add(s.channelId);
  }
  return suspended;
}

/** Every indexed owner's account suspension, as identity has it now (version-guarded like the events). */
async function refreshOwnerSuspensions(svc: SearchThis): Promise<void> {
  const owners = await svc.db.query<{ owner_id: string }>(
    "SELECT DISTINCT owner_id FROM documents WHERE owner_id IS NOT NULL ORDER BY owner_id",
  );
  for (let i = 0; i < owners.length; i += 200) {
    const userIds = owners.slice(i, i + 200).map((o) => o.owner_id);
    const { items } = await callAction(svc.broker, "identity.suspensions", { userIds });
    await recordOwnerStates(svc, items);
  }
}
