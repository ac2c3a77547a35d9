/**
 * Keyset pages over the entity-store contract (document stores on
 * PostgreSQL JSONB or MongoDB), whose queries AND their conditions and have
 * no OR. "After the cursor" in a sort of n fields is n disjoint ranges, read
 * nearest first and each only as far as the page still needs:
 *
 *   same a, same b, id after  →  same a, b after  →  a after
 *
 * so a page costs at most n index range reads, never OFFSET n.
 */
import { ValidationError } from "../errors";
import { decodeCursor, toCursorPage, type CursorKey, type CursorPage } from "./cursor-page";

export interface KeysetField {
  field: string;
  /** "date" values travel as ISO strings (the stores keep milliseconds, so the round trip is exact). */
  kind: "text" | "integer" | "date";
  desc: boolean;
}

function valueOf(kind: KeysetField["kind"], raw: CursorKey[number]): string | number | Date | undefined {
  if (kind === "text") return typeof raw === "string" ? raw : undefined;
  if (kind === "integer") return typeof raw === "number" && Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(raw)) return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The store sort (`["-viewerCount", "id"]`) of a keyset. */
export function keysetSort(fields: readonly KeysetField[]): string[] {
  return fields.map((f) => `${f.desc ? "-" : ""}${f.field}`);
}

/**
 * One page of `find` rows matching `base`, after `cursor` in the order of
 * `fields` (the last must be unique: the id). `keyOf` gives a row's cursor
 * key, dates as ISO strings. A forged cursor is a 400.
 */
export async function keysetFind<Doc, Query extends object>(
  find: (query: Query, sort: string[], limit: number) => Promise<Doc[]>,
  opts: {
    base: Query;
    fields: readonly KeysetField[];
    cursor: string | undefined;
    limit: number;
    keyOf: (doc: Doc) => CursorKey;
  },
): Promise<CursorPage<Doc>> {
  const { base, fields, limit } = opts;
  const sort = keysetSort(fields);
  if (!opts.cursor) return toCursorPage(await find(base, sort, limit + 1), limit, opts.keyOf);
  const raw = decodeCursor(opts.cursor, fields.length);
  const key = fields.map((f, i) => valueOf(f.kind, raw[i] ?? null));
  const values = key.filter((v): v is string | number | Date => v !== undefined);
  if (values.length !== fields.length)
    throw new ValidationError("Invalid cursor", [
      { field: "cursor", message: "Pass back a nextCursor value unchanged" },
    ]);
  const rows: Doc[] = [];
  for (let i = fields.length - 1; i >= 0 && rows.length <= limit; i--) {
    const field = fields[i];
    const value = values[i];
    if (!field || value === undefined) continue;
    const range: Record<string, unknown> = Object.fromEntries(fields.slice(0, i).map((f, j) => [f.field, values[j]]));
    range[field.field] = field.desc ? { $lt: value } : { $gt: value };
    // Equality and $lt/$gt on scalars: conditions every entity-store query type admits.
    const query = { ...base, ...range } as Query;
    rows.push(...(await find(query, sort, limit + 1 - rows.length)));
  }
  return toCursorPage(rows, limit, opts.keyOf);
}
