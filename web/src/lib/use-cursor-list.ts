import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** The one list shape of the API (lib/pagination/cursor-page.ts). */
export interface CursorPageOf<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorList<T> {
  items: T[] | undefined;
  /** The first page failed (nothing to show but the error). */
  error: unknown;
  /** The next page failed: the items so far stay, and loadMore asks for that page again. */
  moreError: unknown;
  /** The first page is on its way (at start, after a dependency change or a reload); earlier items stay shown. */
  loading: boolean;
  /** A next page exists: show a "Load more" button. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore(): void;
  /** Back to the first page (after a change that moves rows). */
  reload(): void;
}

/**
 * A list read page by page with the API's cursors: the first page when `deps`
 * change, the next one appended on `loadMore`. A reload or a dependency
 * change aborts whatever page was on its way, so pages of two lists never mix.
 */
export function useCursorList<T>(
  load: (cursor: string | undefined, signal: AbortSignal) => Promise<CursorPageOf<T>>,
  deps: unknown[],
): CursorList<T> {
  const [items, setItems] = useState<T[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const current = useRef<AbortController | null>(null);

  const fetchPage = (after: string | undefined) => {
    current.current?.abort();
    const ctl = new AbortController();
    current.current = ctl;
    setMoreError(undefined);
    if (!after) setError(undefined);
    if (after) setLoadingMore(true);
    else setLoading(true);
    loader
      .current(after, ctl.signal)
      .then((page) => {
        if (ctl.signal.aborted) return;
        setItems((prev) => (after && prev ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => {
        if (ctl.signal.aborted) return;
        if (after) setMoreError(err);
        else setError(err);
      })
      .finally(() => {
        if (ctl.signal.aborted) return;
        setLoadingMore(false);
        if (!after) setLoading(false);
      });
  };

  useEffect(() => {
    fetchPage(undefined);
    return () => current.current?.abort();
  }, [...deps, tick]);

  const loadMore = useCallback(() => {
    if (cursor) fetchPage(cursor);
  }, [cursor]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { items, error, moreError, loading, hasMore: cursor !== null, loadingMore, loadMore, reload };
}
