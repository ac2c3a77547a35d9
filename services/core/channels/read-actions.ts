/** Reading channels: anyone may, and nothing here ever shows a stream key hash. */
import type { ActionContext } from "../../../lib/contracts";
import { NotFoundError } from "../../../lib/errors";
import type { ChatPolicy } from "../../../lib/moderation";
import {
  keysetAfter,
  keysetOrderBy,
  pageLimit,
  toCursorPage,
  type CursorPage,
  type KeysetColumn,
} from "../../../lib/pagination";
import { chatPolicyOf, loadChannel } from "./channel-lookup";
import { toPublicChannel, type PublicChannel } from "./channel-view";
import type { ChannelsThis } from "./channels.context";

export async function getChannel(svc: ChannelsThis, ctx: ActionContext<"channels.get">): Promise<PublicChannel> {
  return toPublicChannel(await loadChannel(svc, ctx.params.id));
}

export async function getChannelBySlug(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getBySlug">,
): Promise<PublicChannel> {
  const channel = await svc.stores.channels.findOne({ slug: ctx.params.slug.toLowerCase() });
  if (!channel) throw new NotFoundError("Channel", ctx.params.slug);
  return toPublicChannel(channel);
}

export async function getManyChannels(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getMany">,
): Promise<PublicChannel[]> {
  return (await svc.stores.channels.findByIds(ctx.params.ids)).map(toPublicChannel);
}

/**
 * Live channels first, then the most followed, then the oldest: a ranking, so
 * a channel whose live state or follower count changes between two pages can
 * cross the cursor (docs/api.md, "Pagination"); new channels cannot shift it.
 */
const RANKED: readonly KeysetColumn[] = [
  { sql: "is_live", kind: "boolean", desc: true },
  { sql: "follower_count", kind: "integer", desc: true },
  { sql: "created_at", kind: "timestamp", desc: false },
  { sql: "id", kind: "text", desc: false },
];

interface RankRow {
  id: string;
  is_live: boolean;
  follower_count: number;
  created_key: string;
}

export async function listChannels(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.list">,
): Promise<CursorPage<PublicChannel>> {
  const params = ctx.params;
  const limit = pageLimit(params);
  const bind: unknown[] = [];
  const where: string[] = [];
  if (params.category !== undefined) where.push(`category = $${bind.push(params.category)}`);
  if (params.live !== undefined) where.push(`is_live = $${bind.push(params.live)}`);
  if (params.ownerId !== undefined) where.push(`owner_id = $${bind.push(params.ownerId)}`);
  if (params.cursor) where.push(keysetAfter(RANKED, params.cursor, bind));
  const rows = await svc.db.query<RankRow>(
    `SELECT id, is_live, follower_count, created_at::text AS created_key FROM channels
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY ${keysetOrderBy(RANKED)} LIMIT $${bind.push(limit + 1)}`,
    bind,
  );
  // The ranking comes from the rows; the channels themselves through the store (its codec and read cache).
  const byId = new Map((await svc.stores.channels.findByIds(rows.map((r) => r.id))).map((c) => [c.id, c]));
  const page = toCursorPage(rows, limit, (r) => [r.is_live, r.follower_count, r.created_key, r.id]);
  return {
    items: page.items.flatMap((r) => {
      const channel = byId.get(r.id);
      return channel ? [toPublicChannel(channel)] : [];
    }),
    nextCursor: page.nextCursor,
  };
}

export async function getChatPolicy(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getChatPolicy">,
): Promise<ChatPolicy> {
  return chatPolicyOf(svc, await loadChannel(svc, ctx.params.channelId));
}
