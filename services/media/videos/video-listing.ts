/**
 * GET /videos: cursor (keyset) pages like every other list (docs/api.md,
 * "Pagination"), per channel or across, filtered by category, tag,
 * visibility and status, sorted newest, oldest or popular. Every filter is a
 * store condition (the tag one an element of the JSON array), so a page costs
 * a few index reads however rare the tag.
 */
import { createHash } from "node:crypto";
import { isAdmin } from "../../../lib/auth/ownership";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import {
  decodeCursor,
  encodeCursor,
  keysetFind,
  pageLimit,
  type CursorKey,
  type CursorPage,
  type CursorPageParams,
} from "../../../lib/pagination";
import { toPlainTag } from "../../../lib/text/plain-text";
import type { StoreQuery } from "../../../mixins/db";
import { channelOwner, present } from "./video-actions";
import { LISTING_ORDERS, listingKey, listingQuery, type VideoSort } from "./video-rules";
import type { VideoDoc, VideoView, Visibility } from "./video.types";
import type { VideosContext, VideosStores, VideosThis } from "./videos.context";

export interface ListVideosParams extends CursorPageParams {
  channelId?: string;
  category?: string;
  tag?: string;
  visibility?: Visibility;
  status?: string;
  sort?: VideoSort;
}

export type VideoPage = CursorPage<VideoView>;

export async function listVideos(svc: VideosThis, ctx: VideosContext<ListVideosParams>): Promise<VideoPage> {
  const p = ctx.params;
  const user = ctx.meta.user;
  const sort = p.sort ?? "newest";
  const tag = p.tag ? toPlainTag(p.tag) : undefined;
  const scope = cursorScope({ ...p, sort, tag });
  // Checked before any read: a cursor of another listing is the client's mistake.
  const after = p.cursor ? innerCursor(p.cursor, scope, LISTING_ORDERS[sort].length) : undefined;
  // The owner listing their own channel sees drafts, private and failed videos too.
  const includeAll = p.channelId && user ? isAdmin(user) || (await ownsChannel(svc, ctx, p.channelId, user.id)) : false;
  if (
    !includeAll &&
    (p.visibility || p.status) &&
    !(p.visibility === "public" && (!p.status || p.status === "ready"))
  ) {
    throw new ForbiddenError("Only the channel owner can filter by visibility or status");
  }
  const query = listingQuery({
    channelId: p.channelId,
    category: p.category,
    tag,
    includeAll,
    visibility: p.visibility,
    status: p.status,
  });
  const limit = pageLimit(p);
  const { docs, nextKey } = await keysetPage(svc, query, sort, after, limit);
  return {
    items: docs.map((v) => present(svc, v, user)),
    nextCursor: nextKey ? encodeCursor([scope, ...nextKey]) : null,
  };
}

type Found = { docs: VideoDoc[]; nextKey: CursorKey | null };

async function keysetPage(
  svc: VideosThis,
  query: StoreQuery,
  sort: VideoSort,
  cursor: string | undefined,
  limit: number,
): Promise<Found> {
  const page = await keysetFind((q, order, n) => svc.stores.videos.find({ query: q, sort: order, limit: n }), {
    base: query,
    fields: LISTING_ORDERS[sort],
    cursor,
    limit,
    keyOf: (v: VideoDoc) => listingKey(sort, v),
  });
  const last = page.items[page.items.length - 1];
  return { docs: page.items, nextKey: page.nextCursor && last ? listingKey(sort, last) : null };
}

/**
 * What a cursor is a position in: the sort and the filters. It leads every
 * cursor, so one from another sort or filter is a 400 on `cursor` instead of a
 * position read in the wrong order (newest and oldest keys look alike).
 */
function cursorScope(p: ListVideosParams & { sort: VideoSort }): string {
  const listing = [
    p.sort,
    p.channelId ?? null,
    p.category ?? null,
    p.tag ?? null,
    p.visibility ?? null,
    p.status ?? null,
  ];
  return createHash("sha256").update(JSON.stringify(listing)).digest("base64url").slice(0, 12);
}

/** The keyset cursor inside a listing cursor, once its scope is checked. */
function innerCursor(cursor: string, scope: string, arity: number): string {
  const [cursorScopeValue, ...key] = decodeCursor(cursor, arity + 1);
  if (cursorScopeValue !== scope)
    throw new ValidationError("This cursor belongs to another sort or filter", [
      { field: "cursor", message: "Pass back the nextCursor of this same listing (same sort and filters)" },
    ]);
  return encodeCursor(key);
}

/**
 * MongoDB has no SQL migrations: videos stored before `listedAt` existed get
 * it at boot, the way migration 003 backfilled it on PostgreSQL (where the
 * column is NOT NULL, so this is not run there).
 */
export async function backfillListedAt(videos: VideosStores["videos"]): Promise<number> {
  let fixed = 0;
  for (;;) {
    const batch = await videos.find({ query: { listedAt: null }, limit: 500 });
    if (batch.length === 0) return fixed;
    for (const video of batch) {
      // Only while still unset: a publish landing meanwhile wrote the right listedAt, which must stay.
      fixed += await videos.updateMany(
        { id: video.id, listedAt: null },
        { listedAt: video.publishedAt ?? video.createdAt },
      );
    }
  }
}

/**
 * Whether the caller owns the channel, asked of channels once per channel per node: a channel never changes
 * hands, so every signed-in visitor of a channel's videos no longer pays a lookup per page. When channels
 * cannot answer (a channel gone, the service down), a video of the channel tells its owner, as before.
 */
async function ownsChannel(svc: VideosThis, ctx: VideosContext, channelId: string, userId: string): Promise<boolean> {
  const known = svc.channelOwners.get(channelId);
  if (known !== undefined) return known === userId;
  let ownerId: string | null;
  try {
    ownerId = await channelOwner(ctx, channelId);
  } catch {
    const sample = await svc.stores.videos.findOne({ channelId });
    return sample !== null && sample.ownerId === userId;
  }
  svc.channelOwners.set(channelId, ownerId);
  return ownerId === userId;
}
