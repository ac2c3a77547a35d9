import { useEffect, useState } from "preact/hooks";
import type { BlogComment } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { timeAgo } from "../lib/format";

/** A post's comments (top level, cursor-paged), posting and deleting one's own. Text only, never HTML. */
export function BlogComments({ postId, closed, total }: { postId: string; closed: boolean; total: number }) {
  const me = currentUser.value;
  const [items, setItems] = useState<BlogComment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);

  const load = async (from?: string) => {
    try {
      const page = await api("get /api/v1/blog/posts/{postId}/comments", {
        path: { postId },
        query: { limit: 20, cursor: from },
      });
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(describeError(err));
    }
  };
  useEffect(() => void load(), [postId]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return;
    try {
      const c = await api("post /api/v1/blog/posts/{postId}/comments", {
        path: { postId },
        body: { body: body.trim() },
      });
      setItems((prev) => [c, ...prev]);
      setBody("");
      setError(null);
    } catch (err) {
      setError(describeError(err));
    }
  };
  const remove = async (c: BlogComment) => {
    try {
      const updated = await api("delete /api/v1/blog/posts/{postId}/comments/{id}", { path: { postId, id: c.id } });
      setItems((prev) => prev.map((x) => (x.id === c.id ? updated : x)));
    } catch (err) {
      setError(describeError(err));
    }
  };

  return (
    <section class="comments" aria-labelledby="post-comments">
      <h2 id="post-comments">{total === 1 ? "1 comment" : `${total} comments`}</h2>
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
            <button class="btn primary" type="submit" disabled={!body.trim()}>
              Comment
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> to comment.
        </p>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
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
      {cursor && (
        <button class="btn" onClick={() => void load(cursor)}>
          More comments
        </button>
      )}
    </section>
  );
}
