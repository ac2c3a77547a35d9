/**
 * Offset pages, as the core list actions answer them today
 * (`?limit&offset` → `{ items, total, limit, offset }`). New lists use the
 * cursor pages of cursor-page.ts; these stay until the existing list actions
 * move to cursors.
 */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface OffsetPageParams {
  limit?: number;
  offset?: number;
}

/** Paging every offset-paged route accepts: bounded so a client cannot ask for the whole table. */
export const PAGING_PARAMS = {
  limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
  offset: { type: "number", integer: true, min: 0, max: 100000, optional: true, convert: true },
} as const;

export function paging(params: OffsetPageParams): { limit: number; offset: number } {
  return { limit: params.limit ?? 20, offset: params.offset ?? 0 };
}
