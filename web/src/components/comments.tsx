import { useEffect, useState } from "preact/hooks";
import type { VideoComment as Comment } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { formatCount, timeAgo } from "../lib/format";
import { ReportButton } from "./report-button";

/**
 * Threaded comments: top-level comments newest first, each thread's replies
 * (all depths, oldest first) loaded on demand and indented by depth.
 * Text is rendered as text, never as HTML.
 */
const PAGE_SIZE = 20;
/** Replies per click of a thread (oldest first). */
const REPLIES_PAGE = 50;

export function Comments({ videoId, ownerId, total }: { videoId: string; ownerId: string; total: number }) {
  const [items, setItems] = useState<Comment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [count, setCount] = useState(total);
  const [loaded, setLoaded] = useState(false);

  /** The first page (no cursor), or the one after `after`. */
  const load = async (after?: string) => {
    try {
      const res = await api("get /api/v1/videos/{videoId}/comments", {
        path: { videoId },
        query: after ? { limit: PAGE_SIZE, cursor: after } : { limit: PAGE_SIZE },
      });
      // A comment posted here meanwhile is already at the top: keep each id once.
      setItems((prev) => {
        if (!after) return res.items;
        const seen = new Set(prev.map((c) => c.id));
        return [...prev, ...res.items.filter((c) => !seen.has(c.id))];
      });
      setCursor(res.nextCursor);
      setLoaded(true);
    } catch (err) {
      setError(describeError(err));
    }
  };
  useEffect(() => {
    setItems([]);
    setCursor(null);
    setLoaded(false);
    void load();
  }, [videoId]);

  return (
    <section class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {formatCount(count)} {count === 1 ? "comment" : "comments"}
      </h2>
      <CommentForm
        videoId={videoId}
        onPosted={(c) => {
          setItems((prev) => [c, ...prev]);
          setCount((n) => n + 1);
        }}
      />
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      {loaded && items.length === 0 && (
        <p class="muted" data-testid="no-comments">
          No comments yet.
        </p>
      )}
      <div>
        {items.map((c) => (
          <CommentItem key={c.id} comment={c} videoId={videoId} ownerId={ownerId} />
        ))}
      </div>
      {cursor && (
        <button class="btn" onClick={() => void load(cursor)}>
          More comments
        </button>
      )}
    </section>
  );
}

function CommentItem({ comment, videoId, ownerId }: { comment: Comment; videoId: string; ownerId: string }) {
  const me = currentUser.value;
  const [c, setC] = useState(comment);
  const [replies, setReplies] = useState<Comment[] | null>(null);
  const [replying, setReplying] = useState<Comment | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [repliesCursor, setRepliesCursor] = useState<string | null>(null);
  const [loadingReplies, setLoadingReplies] = useState(false);

  /**
   * One page of the thread (oldest first) per click: a thread can hold thousands of replies, and
   * fetching them all at once would be as many requests before anything shows.
   */
  const loadReplies = async (after?: string) => {
    setLoadingReplies(true);
    try {
      const res = await api("get /api/v1/videos/{videoId}/comments", {
        path: { videoId },
        query: after ? { rootId: c.id, limit: REPLIES_PAGE, cursor: after } : { rootId: c.id, limit: REPLIES_PAGE },
      });
      // A reply posted here meanwhile may already be in the list: keep each id once.
      setReplies((prev) => {
        const shown = after && prev ? prev : [];
        const seen = new Set(shown.map((r) => r.id));
        return [...shown, ...res.items.filter((r) => !seen.has(r.id))];
      });
      setRepliesCursor(res.nextCursor);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setLoadingReplies(false);
    }
  };
  const remove = async (target: Comment) => {
    try {
      const updated = await api("delete /api/v1/videos/{videoId}/comments/{id}", { path: { videoId, id: target.id } });
      if (target.id === c.id) setC(updated);
      else setReplies((prev) => prev?.map((r) => (r.id === target.id ? updated : r)) ?? null);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const line = (item: Comment, isReply: boolean) => {
    const visible = item.status === "visible";
    const canDelete = visible && me && (me.id === item.authorId || me.id === ownerId || me.roles.includes("admin"));
    return (
      <article
        class="comment"
        key={item.id}
        style={isReply ? { marginLeft: `${Math.min(item.depth - 1, 3) * 1.2}rem` } : undefined}
      >
        <span class="avatar" aria-hidden="true">
          {(item.authorName ?? "?").slice(0, 1).toUpperCase()}
        </span>
        <div>
          <div class="comment-head">
            <strong>{visible ? (item.authorName ?? "someone") : "—"}</strong>
            <span class="muted">{timeAgo(item.createdAt)}</span>
            {item.edited && <span class="muted">(edited)</span>}
          </div>
          <p class="comment-body">
            {visible ? (
              item.body
            ) : (
              <em class="muted">{item.status === "removed" ? "Removed by a moderator" : "Deleted"}</em>
            )}
          </p>
          <div class="row">
            {me && visible && (
              <button class="linklike" onClick={() => setReplying(item)}>
                Reply
              </button>
            )}
            {canDelete && (
              <button class="linklike" onClick={() => void remove(item)}>
                Delete
              </button>
            )}
            {visible && me && me.id !== item.authorId && (
              <ReportButton target={{ kind: "comment", id: item.id, videoId }} />
            )}
          </div>
        </div>
      </article>
    );
  };

  return (
    <div>
      {line(c, false)}
      <div class="replies">
        {c.replyCount > 0 && replies === null && (
          <button class="linklike" onClick={() => void loadReplies()} aria-expanded="false">
            View {c.replyCount} {c.replyCount === 1 ? "reply" : "replies"}
          </button>
        )}
        {replies?.map((r) => line(r, true))}
        {replies !== null && repliesCursor && (
          <button class="linklike" disabled={loadingReplies} onClick={() => void loadReplies(repliesCursor)}>
            {loadingReplies ? "Loading…" : "More replies"}
          </button>
        )}
        {replying && (
          <CommentForm
            videoId={videoId}
            parent={replying}
            onCancel={() => setReplying(null)}
            onPosted={(r) => {
              setReplying(null);
              setC((prev) => ({ ...prev, replyCount: prev.replyCount + 1 }));
              const appendOwn = () =>
                setReplies((prev) => (prev?.some((x) => x.id === r.id) ? prev : [...(prev ?? []), r]));
              // A thread not opened yet opens on its first page (else its earlier replies could no longer be
              // shown: "View N replies" goes once any reply is), with the new one at its end.
              if (replies === null) void loadReplies().then(appendOwn);
              else appendOwn();
            }}
          />
        )}
        {error && (
          <p class="error-text" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

interface FormProps {
  videoId: string;
  parent?: Comment;
  onPosted(c: Comment): void;
  onCancel?(): void;
}

function CommentForm({ videoId, parent, onPosted, onCancel }: FormProps) {
  const me = currentUser.value;
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!me)
    return parent ? null : (
      <p class="muted">
        <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>Log in</a> to comment.
      </p>
    );
  const id = `comment-${parent?.id ?? "new"}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const posted = await api("post /api/v1/videos/{videoId}/comments", {
        path: { videoId },
        body: { body: body.trim(), ...(parent ? { parentId: parent.id } : {}) },
      });
      setBody("");
      onPosted(posted);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" onSubmit={submit} style={{ margin: "0.75rem 0 1rem" }}>
      <label class="sr-only" for={id}>
        {parent ? `Reply to ${parent.authorName ?? "comment"}` : "Add a comment"}
      </label>
      <textarea
        id={id}
        value={body}
        rows={parent ? 2 : 3}
        maxLength={2000}
        placeholder={parent ? `Reply to ${parent.authorName ?? "comment"}…` : "Add a comment…"}
        onInput={(e) => setBody((e.currentTarget as HTMLTextAreaElement).value)}
      />
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
      <div class="row end">
        {onCancel && (
          <button type="button" class="btn ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button class="btn primary" type="submit" disabled={busy || !body.trim()}>
          {parent ? "Reply" : "Comment"}
        </button>
      </div>
    </form>
  );
}
