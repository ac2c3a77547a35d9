/**
 * Pages through a cursor-paged list the way a client does: first page without
 * a cursor (or from `opts.from`), then each `nextCursor` until null. Returns every page so specs can
 * check both the rows and how they were split.
 */
import type { CursorPage } from "../../lib/pagination";

export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  opts: { from?: string; maxPages?: number } = {},
): Promise<Array<CursorPage<T>>> {
  const maxPages = opts.maxPages ?? 50;
  const pages: Array<CursorPage<T>> = [];
  let cursor = opts.from;
  do {
    const page = await fetchPage(cursor);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    // A cursor that never ends is a bug of the list, not a long list: fail instead of hanging.
    if (pages.length > maxPages) throw new Error(`still paging after ${maxPages} pages`);
  } while (cursor);
  return pages;
}

/** The rows of all pages in order, keyed by `idOf`, so a repeat shows as a duplicate. */
export function idsOf<T>(pages: Array<CursorPage<T>>, idOf: (item: T) => string): string[] {
  return pages.flatMap((p) => p.items.map(idOf));
}
