import { useEffect, useState } from "preact/hooks";
import type { BlogComment } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { timeAgo } from "../lib/format";
import { useCursorList } from "../lib/use-cursor-list";
import { LoadMore } from "./load-more";

/** A post's comments (top level, cursor-paged), posting and deleting one's own. Text only, never HTML. */
export function BlogComments({ postId, closed, total }: { postId: string; closed: boolean; total: number }) {
  const me = currentUser.value;
  // One page in flight at a time (a second click on "More comments" does not append the same page twice).
  const list = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/blog/posts/{postId}/comments", {
        path: { postId },
        query: { limit: 20, ...(cursor ? { cursor } : {}) },
        signal,
      }),
    [postId],
  );
  /** Comments posted or changed here since the list loaded: shown first / in place, each id once. */
  const [posted, setPosted] = useState<BlogComment[]>([]);
  const [changed, setChanged] = useState<ReadonlyMap<string, BlogComment>>(new Map());
  const [count, setCount] = useState(total);
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPosted([]);
    setChanged(new Map());
    setCount(total);
  }, [postId, total]);

  const postedIds = new Set(posted.map((c) => c.id));
  const items = [...posted, ...(list.items ?? []).filter((c) => !postedIds.has(c.id))].map(
    (c) => changed.get(c.id) ?? c,
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!body.trim() || busy) return;
    setBusy(true);
    try {
      const c = await api("post /api/v1/blog/posts/{postId}/comments", {
        path: { postId },
        body: { body: body.trim() },
      });
      setPosted((prev) => [c, ...prev]);
      setCount((n) => n + 1);
      setBody("");
      setError(null);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (c: BlogComment) => {
    try {
      const updated = await api("delete /api/v1/blog/posts/{postId}/comments/{id}", { path: { postId, id: c.id } });
      setChanged((prev) => new Map(prev).set(c.id, updated));
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section class="comments" aria-labelledby="post-comments">
      <h2 id="post-comments">{count === 1 ? "1 comment" : `${count} comments`}</h2>
      {closed ? (
        <p class="muted">Comments are closed.</p>
      ) : me ? (
        <form class="form" onSubmit={submit}>
          <label class="sr-only" for="post-comment">
            Add a comment
          </label>
          <textarea
            id="post-comment"
            value={body}
            maxLength={2000}
            onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
            placeholder="Add a comment…"
          />
          <div class="row end">
            <button class="btn primary" type="submit" disabled={busy || !body.trim()}>
              {busy ? "Posting…" : "Comment"}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> to comment.
        </p>
      )}
      {(error || list.error) && (
        <p class="error-text" role="alert">
          {error ?? describeError(list.error)}
        </p>
      )}
      {list.loading && items.length === 0 && <p class="muted">Loading comments…</p>}
      {!list.loading && !list.error && items.length === 0 && (
        <p class="muted" data-testid="no-comments">
          No comments yet{closed ? "." : me ? ": be the first." : "."}
        </p>
      )}
      {items.map((c) => (
        <article class="comment" key={c.id}>
          <span class="avatar" aria-hidden="true">
            {(c.authorName ?? "?").slice(0, 1).toUpperCase()}
          </span>
          <div>
            <div class="comment-head">
              <strong>{c.status === "visible" ? (c.authorName ?? "someone") : "—"}</strong>
              <span class="muted">{timeAgo(c.createdAt)}</span>
            </div>
            <p class="comment-body">{c.status === "visible" ? c.body : <em class="muted">Comment {c.status}</em>}</p>
            {me && me.id === c.authorId && c.status === "visible" && (
              <button class="linklike" onClick={() => void remove(c)}>
                Delete
              </button>
            )}
          </div>
        </article>
      ))}
      {!list.error && <LoadMore list={list} label="More comments" />}
    </section>
  );
}
