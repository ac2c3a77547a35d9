/**
 * Follows and blocks are listed newest first in keyset pages on
 * (created_at, id): a follow made while someone pages is newer than any
 * cursor, so it never shifts a later page (no repeats, no skips), and a deep
 * page is an index seek, not OFFSET n.
 */
import {
  keysetAfter,
  keysetOrderBy,
  pageLimit,
  toCursorPage,
  type CursorPage,
  type CursorPageParams,
  type KeysetColumn,
} from "../../../lib/pagination";
import type { UsersThis } from "./users.context";

const NEWEST_FIRST: readonly KeysetColumn[] = [
  { sql: "created_at", kind: "timestamp", desc: true },
  { sql: "id", kind: "text", desc: true },
];

export interface RelationRow {
  id: string;
  /** The other side: the channel followed, the follower, or the user blocked. */
  other_id: string;
  created_at: Date | string;
  created_key: string;
}

/**
 * One page of `table` rows where `ownerColumn = ownerId`, newest first;
 * `otherColumn` is the side the list shows. Table and column names are
 * constants of this service, never request input.
 */
export async function newestFirstPage(
  svc: UsersThis,
  table: "follows" | "blocks",
  ownerColumn: "user_id" | "channel_id",
  otherColumn: "user_id" | "channel_id" | "blocked_user_id",
  ownerId: string,
  params: CursorPageParams,
): Promise<CursorPage<RelationRow>> {
  const limit = pageLimit(params);
  const bind: unknown[] = [ownerId];
  const where = [`${ownerColumn} = $1`];
  if (params.cursor) where.push(keysetAfter(NEWEST_FIRST, params.cursor, bind));
  bind.push(limit + 1);
  const rows = await svc.db.query<RelationRow>(
    `SELECT id, ${otherColumn} AS other_id, created_at, created_at::text AS created_key FROM ${table}
      WHERE ${where.join(" AND ")} ORDER BY ${keysetOrderBy(NEWEST_FIRST)} LIMIT $${bind.length}`,
    bind,
  );
  return toCursorPage(rows, limit, (r) => [r.created_key, r.id]);
}

export function isoOf(value: Date | string): string {
  return new Date(value).toISOString();
}
