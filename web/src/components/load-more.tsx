import { describeError } from "../api/http";
import type { CursorList } from "../lib/use-cursor-list";

/**
 * The next page of a cursor list (lib/use-cursor-list.ts), while there is one. A page that failed says why
 * and offers to try again, the items so far kept where they are.
 */
export function LoadMore<T>({ list, label = "Load more" }: { list: CursorList<T>; label?: string }) {
  if (!list.hasMore) return null;
  const failed = list.moreError !== undefined && !list.loadingMore;
  return (
    <div class="row end">
      {failed && (
        <p class="error-text" role="alert">
          {describeError(list.moreError)}
        </p>
      )}
      <button class="btn" disabled={list.loadingMore} onClick={() => list.loadMore()}>
        {list.loadingMore ? "Loading…" : failed ? "Try again" : label}
      </button>
    </div>
  );
}
