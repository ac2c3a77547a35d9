/**
 * SQL for keyset pages: the ORDER BY of a sort and the condition "after this
 * cursor" in it, so each relational list writes its sort once and cannot get
 * the tie-breaking wrong.
 *
 * The condition is expanded (`a < $1 OR (a = $1 AND b > $2) …`) rather than a
 * row comparison `(a, b) < ($1, $2)` because a row comparison only works when
 * every column sorts the same way, and ranked lists mix directions.
 */
import { ValidationError } from "../errors";
import { decodeCursor, type CursorKey } from "./cursor-page";

/**
 * What a column holds, so a forged cursor value is refused as a 400 here
 * instead of failing a cast in the database as a 500. Timestamps travel as
 * Postgres text (`created_at::text`): a JavaScript Date would drop the
 * microseconds and make rows of the same millisecond repeat or vanish.
 */
export type KeysetKind = "text" | "integer" | "boolean" | "timestamp";

export interface KeysetColumn {
  /** A column or expression that is never NULL. */
  sql: string;
  kind: KeysetKind;
  desc: boolean;
}

const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/;

function fits(kind: KeysetKind, value: CursorKey[number]): boolean {
  switch (kind) {
    case "text":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "timestamp":
      return typeof value === "string" && PG_TIMESTAMP.test(value);
  }
}

/** `col DESC, col2 ASC …` for ORDER BY. The last column must be unique (the id) so the order is total. */
export function keysetOrderBy(columns: readonly KeysetColumn[]): string {
  return columns.map((c) => `${c.sql} ${c.desc ? "DESC" : "ASC"}`).join(", ");
}

/**
 * The condition selecting rows after `cursor` in the sort, binding its values
 * into `bind` (positional `$n` continue after what `bind` already holds).
 * A cursor of the wrong shape is a 400 (decodeCursor).
 */
export function keysetAfter(columns: readonly KeysetColumn[], cursor: string, bind: unknown[]): string {
  const key: CursorKey = decodeCursor(cursor, columns.length);
  if (!columns.every((c, i) => fits(c.kind, key[i] ?? null)))
    throw new ValidationError("Invalid cursor", [
      { field: "cursor", message: "Pass back a nextCursor value unchanged" },
    ]);
  const placeholders = columns.map((c, i) => {
    bind.push(key[i]);
    return `$${bind.length}${c.kind === "timestamp" ? "::timestamptz" : ""}`;
  });
  const alternatives = columns.map((c, i) => {
    const equalBefore = columns.slice(0, i).map((prev, j) => `${prev.sql} = ${placeholders[j]}`);
    return [...equalBefore, `${c.sql} ${c.desc ? "<" : ">"} ${placeholders[i]}`].join(" AND ");
  });
  return `(${alternatives.map((a) => `(${a})`).join(" OR ")})`;
}
