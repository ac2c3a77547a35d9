/**
 * Listings: cursor pages (lib/pagination) over published public posts,
 * filtered by blog, category, tag, kind and author; a blog's writers also
 * list its drafts and scheduled posts. Keyset SQL on (published_at, id) or
 * (changed_at, id): a page costs an index seek however deep it is.
 */
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import { decodeCursor, pageLimit, toCursorPage, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import type { BlogContext, BlogThis } from "./blog.context";
import { assertBlogExists, isWriter } from "./blog-access";
import { toSummaryView } from "./post-rules";
import { toPlainTag } from "../../../lib/text/plain-text";
import type { PostDoc, PostKind, PostSummaryView } from "./post.types";

export interface ListPostsParams extends CursorPageParams {
  blog?: string;
  category?: string;
  tag?: string;
  kind?: PostKind;
  authorId?: string;
  /** Writers of `blog` only: their drafts or scheduled posts. */
  status?: "draft" | "scheduled" | "published";
}

export type PostPage = CursorPage<PostSummaryView>;

interface KeyRow {
  id: string;
  sort_at: Date | string;
}

/** Ids in page order plus one extra row telling whether a next page exists. */
async function pageIds(
  svc: BlogThis,
  filters: { sql: string; values: unknown[] },
  sortColumn: "published_at" | "changed_at",
  cursor: string | undefined,
  limit: number,
): Promise<KeyRow[]> {
  const values = [...filters.values];
  const where = [filters.sql];
  if (cursor) {
    const [at, id] = decodeCursor(cursor, 2);
    values.push(String(at), String(id));
    where.push(`(${sortColumn}, id) < ($${values.length - 1}::timestamptz, $${values.length})`);
  }
  values.push(limit + 1);
  return svc.db.query<KeyRow>(
    `SELECT id, ${sortColumn} AS sort_at FROM posts WHERE ${where.join(" AND ")}
     ORDER BY ${sortColumn} DESC, id DESC LIMIT $${values.length}`,
    values,
  );
}

/** Documents for ids, in the ids' order. */
export async function postsInOrder(svc: BlogThis, ids: string[]): Promise<PostDoc[]> {
  const docs = new Map((await svc.stores.posts.findByIds(ids)).map((p) => [p.id, p]));
  return ids.flatMap((id) => {
    const doc = docs.get(id);
    return doc ? [doc] : [];
  });
}

export function buildFilters(p: Omit<ListPostsParams, "limit" | "cursor">, includeStatus: string | null) {
  const values: unknown[] = [];
  const parts: string[] = [];
  const add = (sql: (n: string) => string, value: unknown): void => {
    values.push(value);
    parts.push(sql(`$${values.length}`));
  };
  if (includeStatus) add((n) => `status = ${n}`, includeStatus);
  else parts.push("status = 'published' AND visibility = 'public'");
  if (p.blog) add((n) => `blog_id = ${n}`, p.blog);
  if (p.category) add((n) => `category = ${n}`, p.category.toLowerCase());
  if (p.tag) add((n) => `tags @> ${n}::jsonb`, JSON.stringify([toPlainTag(p.tag)]));
  if (p.kind) add((n) => `kind = ${n}`, p.kind);
  if (p.authorId) add((n) => `author_id = ${n}`, p.authorId);
  return { sql: parts.join(" AND "), values };
}

export async function listPosts(svc: BlogThis, ctx: BlogContext<ListPostsParams>): Promise<PostPage> {
  const p = ctx.params;
  let status: string | null = null;
  if (p.status && p.status !== "published") {
    if (!p.blog || !(await isWriter(svc, ctx, ctx.meta.user, p.blog)))
      throw new ForbiddenError("Only the blog's writers list its drafts and scheduled posts");
    status = p.status;
  } else if (p.blog) {
    await assertBlogExists(ctx, p.blog);
  }
  const limit = pageLimit(p);
  const sortColumn = status ? "changed_at" : "published_at";
  const rows = await pageIds(svc, buildFilters(p, status), sortColumn, p.cursor, limit);
  const docs = new Map(
    (
      await postsInOrder(
        svc,
        rows.map((r) => r.id),
      )
    ).map((d) => [d.id, d]),
  );
  return toCursorPage(
    rows.filter((r) => docs.has(r.id)),
    limit,
    (r) => [new Date(r.sort_at).toISOString(), r.id],
    (r) => toSummaryView(svc.publicUrl, docs.get(r.id) as PostDoc),
  );
}

/** Other public posts sharing the most tags with this one, newest first among equals. */
export async function relatedPosts(
  svc: BlogThis,
  ctx: BlogContext<{ id: string; limit?: number }>,
): Promise<{ items: PostSummaryView[] }> {
  const post = await svc.stores.posts.findById(ctx.params.id);
  if (!post || (post.status !== "published" && !(await isWriter(svc, ctx, ctx.meta.user, post.blogId))))
    throw new NotFoundError("Post", ctx.params.id);
  if (!post.tags?.length) return { items: [] };
  const rows = await svc.db.query<{ id: string }>(
    `SELECT p.id FROM posts p, jsonb_array_elements_text(p.tags) AS t(tag)
     WHERE t.tag = ANY($1::text[]) AND p.id <> $2 AND p.status = 'published' AND p.visibility = 'public'
     GROUP BY p.id, p.published_at ORDER BY count(*) DESC, p.published_at DESC, p.id DESC LIMIT $3`,
    [post.tags, post.id, ctx.params.limit ?? 5],
  );
  const docs = await postsInOrder(
    svc,
    rows.map((r) => r.id),
  );
  return { items: docs.map((d) => toSummaryView(svc.publicUrl, d)) };
}
