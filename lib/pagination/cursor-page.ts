/**
 * Arena's one pagination shape: keyset (cursor) pages.
 *
 *   request:  ?limit=20&cursor=<opaque>
 *   response: { items: T[], nextCursor: string | null }
 *
 * Cursors, not offsets: a feed that gains rows while someone scrolls never
 * repeats or skips an item, and page N costs the same as page 1 (an index
 * seek, not OFFSET N). A cursor is the sort key of the last item returned,
 * base64url-encoded JSON: opaque to clients, checked on the way back in.
 */
import { ValidationError } from "../errors";

export interface CursorPage<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface CursorPageParams {
  limit?: number;
  cursor?: string;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;
const MAX_CURSOR_LENGTH = 512;

/** fastest-validator fields every paged action spreads into its params schema. */
export const CURSOR_PAGE_PARAMS = {
  limit: { type: "number", integer: true, min: 1, max: MAX_PAGE_LIMIT, optional: true, convert: true },
  cursor: { type: "string", min: 1, max: MAX_CURSOR_LENGTH, optional: true },
} as const;

/** A cursor value: the sort key columns of the last row, in sort order. */
export type CursorKey = ReadonlyArray<string | number | boolean | null>;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Decodes a cursor made by encodeCursor for a sort of `arity` columns. A
 * forged or stale-format cursor is the client's mistake: a 400, never a 500.
 */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const valid =
    Array.isArray(key) &&
    key.length === arity &&
    key.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
  if (!valid) throw invalidCursor();
  return key as CursorKey;
}

function invalidCursor(): ValidationError {
  return new ValidationError("Invalid cursor", [
    { field: "cursor", message: "Pass back a nextCursor value unchanged" },
  ]);
}

/** The limit a request asked for, defaulted and clamped. */
export function pageLimit(params: CursorPageParams): number {
  return Math.min(Math.max(params.limit ?? DEFAULT_PAGE_LIMIT, 1), MAX_PAGE_LIMIT);
}

/**
 * Builds a page from `limit + 1` rows fetched in sort order: the extra row
 * only tells whether another page exists.
 */
export function toCursorPage<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  present: (row: Row) => Item = (row) => row as unknown as Item,
): CursorPage<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(present),
    nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
