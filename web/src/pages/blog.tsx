import { api, describeError } from "../api/http";
import { currentUser, hasRole } from "../api/session";
import { EmptyTile } from "../components/cards";
import { Notice } from "../components/form";
import { LoadMore } from "../components/load-more";
import { hueOf, timeAgo } from "../lib/format";
import { useCursorList } from "../lib/use-cursor-list";
import type { PageProps } from "../router";

/** A blog's posts, newest first: the site blog at /blog, a channel's at /blog/<channelId>. */
export default function Blog({ params, query }: PageProps) {
  const blog = params.blog ?? "site";
  const category = query.get("category") ?? undefined;
  const list = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/blog/posts", { query: { blog, category, limit: 12, ...(cursor ? { cursor } : {}) }, signal }),
    [blog, category],
  );
  const items = list.items ?? [];
  const canWrite = blog === "site" ? hasRole("editor") : currentUser.value !== null;
  return (
    <div class="page">
      <div class="section-head">
        <h1>{blog === "site" ? "News, reviews and guides" : "Channel blog"}</h1>
        <div class="row">
          <a class="btn ghost" href={`/api/v1/blog/feeds/${encodeURIComponent(blog)}/rss`} rel="external">
            RSS
          </a>
          {canWrite && (
            <a class="btn primary" href={`/blog/write?blog=${encodeURIComponent(blog)}`}>
              Write a post
            </a>
          )}
        </div>
      </div>
      {category && (
        <p class="filter-banner">
          Category <strong>{category}</strong> <a href={location.pathname}>clear</a>
        </p>
      )}
      {list.error ? <Notice kind="error">{describeError(list.error)}</Notice> : null}
      {list.items && items.length === 0 && <EmptyTile>No posts yet.</EmptyTile>}
      <div class="grid posts">
        {items.map((p) => (
          <article class="card" key={p.id}>
            <a
              class="thumb"
              href={`/blog/${encodeURIComponent(p.blogId)}/${encodeURIComponent(p.slug)}`}
              tabIndex={-1}
              aria-hidden="true"
            >
              {p.coverUrl ? (
                <img src={p.coverUrl} alt="" loading="lazy" width="320" height="180" />
              ) : (
                <div class="art" style={{ "--hue": String(hueOf(p.category ?? p.title)) }}>
                  <span>{p.kind.toUpperCase()}</span>
                </div>
              )}
              {p.kind === "review" && p.reviewScore !== null && <span class="pill viewers">{p.reviewScore}/10</span>}
            </a>
            <div class="card-body">
              <h2 class="card-title">
                <a href={`/blog/${encodeURIComponent(p.blogId)}/${encodeURIComponent(p.slug)}`}>{p.title}</a>
              </h2>
              <p class="card-meta">
                {p.authorName} · {timeAgo(p.publishedAt ?? p.createdAt)}
                {p.category ? ` · ${p.category}` : ""}
              </p>
              {p.summary && <p class="post-summary">{p.summary}</p>}
            </div>
          </article>
        ))}
      </div>
      {list.items && !list.error && <LoadMore list={list} label="Older posts" />}
    </div>
  );
}
