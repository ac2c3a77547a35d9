import { useEffect, useState } from "preact/hooks";
import type { Post } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { BlogComments } from "../components/blog-comments";
import { formatCount, timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { setTitle, type PageProps } from "../router";

/** One post: the blog service's sanitized HTML, view counting, related posts and comments. */
export default function PostPage({ params }: PageProps) {
  const blog = params.blog ?? "site";
  const slug = params.slug ?? "";
  const post = useAsync(
    (signal) => api("get /api/v1/blog/{blog}/posts/{slug}", { path: { blog, slug }, signal }),
    [blog, slug],
  );
  const [views, setViews] = useState<number | null>(null);
  const related = useAsync(
    async (signal) =>
      post.data
        ? api("get /api/v1/blog/posts/{id}/related", { path: { id: post.data.id }, query: { limit: 4 }, signal })
        : undefined,
    [post.data?.id],
  );
  useEffect(() => {
    if (!post.data) return;
    setTitle(post.data.title);
    if (post.data.status === "published")
      api("post /api/v1/blog/posts/{id}/views", { path: { id: post.data.id } })
        .then((r) => setViews(r.viewCount))
        .catch(() => undefined);
  }, [post.data?.id]);

  if (post.error)
    return (
      <div class="empty">
        <h1>{post.error instanceof ApiError && post.error.status === 404 ? "Post not found" : "Could not load"}</h1>
        <p class="muted">{describeError(post.error)}</p>
        <a class="btn" href="/blog">
          All posts
        </a>
      </div>
    );
  const p: Post | undefined = post.data;
  if (!p) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const blogHref = `/blog${p.blogId === "site" ? "" : `/${encodeURIComponent(p.blogId)}`}`;
  const reads = views ?? p.viewCount;
  return (
    <div class="page" style={{ maxWidth: "820px" }}>
      <p class="crumbs">
        <a href={blogHref}>Blog</a>
        {p.category && (
          <>
            {" / "}
            <a href={`${blogHref}?category=${encodeURIComponent(p.category)}`}>{p.category}</a>
          </>
        )}
      </p>
      <article class="post">
        <h1>{p.title}</h1>
        <p class="watch-meta">
          <span class="status-tag">{p.kind}</span>
          {p.kind === "review" && p.reviewScore !== null && <strong>{p.reviewScore}/10</strong>}
          <span>by {p.authorName}</span>
          <span>{timeAgo(p.publishedAt ?? p.createdAt)}</span>
          <span>
            {formatCount(reads)} {reads === 1 ? "read" : "reads"}
          </span>
          {p.status !== "published" && <span class="status-tag processing">{p.status}</span>}
        </p>
        {p.coverUrl && <img class="post-cover" src={p.coverUrl} alt="" width="820" height="410" />}
        {/* The one place HTML is inserted: the blog service renders markdown and sanitizes it with an
            allow-list when the post is written (services/content/blog/markdown-render.ts), and the CSP
            forbids inline script whatever the markup. Chat, titles and comments are always text. */}
        <div class="post-body" dangerouslySetInnerHTML={{ __html: p.html }} />
        {p.tags.length > 0 && (
          <p>
            {p.tags.map((t) => (
              <span key={t} class="status-tag" style={{ marginRight: "0.3rem" }}>
                #{t}
              </span>
            ))}
          </p>
        )}
      </article>
      {(related.data?.items.length ?? 0) > 0 && (
        <section aria-labelledby="related-title">
          <h2 id="related-title">Related</h2>
          <ul class="list">
            {related.data?.items.map((r) => (
              <li key={r.id}>
                <a href={`/blog/${encodeURIComponent(r.blogId)}/${encodeURIComponent(r.slug)}`}>{r.title}</a>
                <span class="muted">{timeAgo(r.publishedAt ?? r.createdAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.status === "published" && <BlogComments postId={p.id} closed={p.commentsClosed} total={p.commentCount} />}
    </div>
  );
}
