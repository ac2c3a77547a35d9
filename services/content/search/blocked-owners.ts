/**
 * Blocks both ways: a signed-in searcher sees nothing owned by someone they
 * blocked or who blocked them (channels, live streams, videos, posts,
 * tournaments, the person). At most one users.blockRelations call per user
 * per few seconds (block-cache.ts: kept per user, dropped on
 * users.blocks.changed); anonymous searches make none.
 */
import { currentUser } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import type { SearchContext, SearchThis } from "./search.context";
import { NOT_SUSPENDED_OWNER } from "./suspended-owners";
import "../../core/users/users.contract";

/** Owner ids hidden from the caller, sorted (they are part of the result cache key). */
export async function hiddenOwners(ctx: SearchContext<unknown>): Promise<string[]> {
  const user = currentUser(ctx);
  if (!user) return [];
  return (ctx.service as unknown as SearchThis).hiddenOwners.get(user.id, () => lookup(ctx, user.id));
}

async function lookup(ctx: SearchContext<unknown>, userId: string): Promise<string[]> {
  const relations = await callAction(ctx, "users.blockRelations", { userIds: [userId] });
  const mine = relations[userId];
  if (!mine) return [];
  return [...new Set([...mine.blockedIds, ...mine.blockedByIds])].filter((id) => id !== userId).sort();
}

/** Keeps documents of given owners, and of suspended accounts, out of a query. */
export function blockedWhere(binds: unknown[], blocked: string[]): string {
  if (blocked.length === 0) return `AND ${NOT_SUSPENDED_OWNER}`;
  binds.push(blocked);
  return `AND (d.owner_id IS NULL OR d.owner_id <> ALL($${binds.length}::text[])) AND ${NOT_SUSPENDED_OWNER}`;
}
