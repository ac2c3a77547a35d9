/**
 * Feeds per blog, per category and per tag, in RSS 2.0 and Atom. A feed is
 * rendered once and kept in the node's read cache until its blog changes
 * (publish, edit, unpublish, delete on any node). The response carries ETag
 * and Last-Modified; the gateway (moleculer-web) answers 304 when the
 * request's If-None-Match / If-Modified-Since match them.
 */
import { createHash } from "node:crypto";
import { cacheKey } from "../../../lib/cache";
import { callAction } from "../../../lib/contracts";
import type { BlogContext, BlogThis } from "./blog.context";
import { buildFilters, postsInOrder } from "./list-posts";
import { coverUrl, postUrl } from "./post-rules";
import { FEED_CONTENT_TYPES, renderAtom, renderRss, type FeedFormat, type FeedItem } from "./feed-render";
import { SITE_BLOG } from "./post.types";

export interface FeedParams {
  blog: string;
  format: FeedFormat;
  category?: string;
  tag?: string;
}

export interface RenderedFeed {
  body: string;
  etag: string;
  lastModified: string;
}

async function blogTitle(ctx: BlogContext, blog: string): Promise<string> {
  if (blog === SITE_BLOG) return "Arena";
  return (await callAction(ctx, "channels.get", { id: blog })).title;
}

async function buildFeed(svc: BlogThis, ctx: BlogContext<FeedParams>): Promise<RenderedFeed> {
  const { blog, format, category, tag } = ctx.params;
  const title = await blogTitle(ctx, blog);
  const filters = buildFilters({ blog, category, tag }, null);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM posts WHERE ${filters.sql} ORDER BY published_at DESC, id DESC LIMIT $${filters.values.length + 1}`,
    [...filters.values, svc.settings.feedItems],
  );
  const posts = await postsInOrder(
    svc,
    rows.map((r) => r.id),
  );
  const items: FeedItem[] = posts.map((p) => ({
    id: p.id,
    title: p.title,
    summary: p.summary,
    html: p.bodyHtml,
    url: postUrl(svc.publicUrl, p),
    authorName: p.authorName,
    category: p.category,
    tags: p.tags ?? [],
    publishedAt: new Date(p.publishedAt ?? p.createdAt),
    changedAt: new Date(p.changedAt),
    coverUrl: coverUrl(svc.publicUrl, p),
  }));
  // Seconds precision: Last-Modified and If-Modified-Since carry no more.
  const newest = items.reduce((max, i) => Math.max(max, i.changedAt.getTime(), i.publishedAt.getTime()), 0);
  const updatedAt = new Date(Math.floor(newest / 1000) * 1000);
  const scope = category ? `/category/${encodeURIComponent(category)}` : tag ? `/tag/${encodeURIComponent(tag)}` : "";
  const meta = {
    title: category ? `${title}: ${category}` : tag ? `${title}: #${tag}` : title,
    description: blog === SITE_BLOG ? "Gaming news, reviews and guides" : `Posts from ${title}`,
    selfUrl: `${svc.publicUrl}/api/v1/blog/feeds/${encodeURIComponent(blog)}${scope}/${format}`,
    siteUrl: `${svc.publicUrl}/blog/${encodeURIComponent(blog)}`,
    updatedAt,
  };
  const body = format === "rss" ? renderRss(meta, items) : renderAtom(meta, items);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  return { body, etag, lastModified: updatedAt.toUTCString() };
}

/** Category and tag are any text: their key parts must not run into each other (lib/cache/cache-key.ts). */
export function feedCacheKey({ blog, format, category, tag }: FeedParams): string {
  return `feed:${cacheKey([blog, format, category, tag])}`;
}

export async function feed(svc: BlogThis, ctx: BlogContext<FeedParams>): Promise<string> {
  const { blog, format } = ctx.params;
  const rendered = await svc.cache.through(feedCacheKey(ctx.params), blog, () => buildFeed(svc, ctx));
  ctx.meta.$responseType = FEED_CONTENT_TYPES[format];
  ctx.meta.$responseHeaders = {
    ETag: rendered.etag,
    "Last-Modified": rendered.lastModified,
    // Readers may keep it a minute; after that they revalidate (304 when unchanged).
    "Cache-Control": "public, max-age=60",
  };
  return rendered.body;
}
