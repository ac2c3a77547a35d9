import type { CursorList } from "../lib/use-cursor-list";

/** The next page of a cursor list (lib/use-cursor-list.ts), while there is one. */
export function LoadMore<T>({ list, label = "Load more" }: { list: CursorList<T>; label?: string }) {
  if (!list.hasMore) return null;
  return (
    <div class="row end">
      <button class="btn" disabled={list.loadingMore} onClick={() => list.loadMore()}>
        {list.loadingMore ? "Loading…" : label}
      </button>
    </div>
  );
}
