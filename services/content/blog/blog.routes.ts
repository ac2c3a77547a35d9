import { typedRoute, type RouteSpec, type RouteTable } from "../../edge/api/route-table";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";
import {
  BLOG_COMMENT,
  BLOG_COMMENT_PAGE,
  EDITORS,
  POST,
  POST_DELETED,
  POST_PAGE,
  POST_VIEW_COUNTED,
  RELATED_POSTS,
  RERENDER,
  REVISIONS,
} from "./blog.responses";
import { FEED_CONTENT_TYPES } from "./feed-render";

const FEED_TYPES = [FEED_CONTENT_TYPES.rss, FEED_CONTENT_TYPES.atom];

/**
 * /api/v1/blog/*. Who may write, read drafts or moderate is decided in the
 * blog service itself; the gateway only requires a token where one is needed.
 * Feeds and covers are not JSON: the actions set the content type and
 * caching headers, and the gateway answers 304 to a matching conditional GET.
 */
/** A JSON route: `response` must have the type of the action's result. */
const route = <N extends ActionName>(
  method: RouteSpec["method"],
  path: string,
  action: N,
  auth: RouteSpec["auth"],
  summary: string,
  response: Schema<ResultOf<N>>,
  extra: Pick<RouteSpec, "status" | "stream" | "roles" | "rateLimitBucket"> = {},
): RouteSpec => typedRoute<N>({ method, path, action, auth, summary, response, ...extra });

/** A route whose body is not JSON (images, feeds): its media types instead of a schema. */
const mediaRoute = <N extends ActionName>(
  path: string,
  action: N,
  auth: RouteSpec["auth"],
  summary: string,
  extra: Pick<RouteSpec, "rateLimitBucket"> & { responseTypes: string[] },
): RouteSpec => typedRoute<N>({ method: "GET", path, action, auth, summary, ...extra });

export const blogRoutes: RouteTable = {
  routes: [
    route(
      "GET",
      "/blog/posts",
      "blog.list",
      "optional",
      "List published posts (blog, category, tag, kind, author; cursor pages); writers list drafts",
      POST_PAGE,
    ),
    route(
      "POST",
      "/blog/posts",
      "blog.create",
      "required",
      "Write a draft (site blog: editors; channel blog: owner and named editors)",
      POST,
      { status: 201 },
    ),
    route("GET", "/blog/posts/:id", "blog.get", "optional", "A post (drafts: its blog's writers only)", POST),
    route(
      "PATCH",
      "/blog/posts/:id",
      "blog.update",
      "required",
      "Edit a post (writers); content changes add a revision",
      POST,
    ),
    route(
      "DELETE",
      "/blog/posts/:id",
      "blog.remove",
      "required",
      "Delete a post with its comments and cover (writers)",
      POST_DELETED,
    ),
    route(
      "GET",
      "/blog/posts/:id/related",
      "blog.related",
      "optional",
      "Published posts sharing the most tags",
      RELATED_POSTS,
    ),
    route(
      "POST",
      "/blog/posts/:id/publish",
      "blog.publish",
      "required",
      "Publish now, or at `at` (scheduled, durable)",
      POST,
    ),
    route(
      "POST",
      "/blog/posts/:id/unpublish",
      "blog.unpublish",
      "required",
      "Back to draft (cancels a schedule)",
      POST,
    ),
    route("GET", "/blog/posts/:id/revisions", "blog.revisions", "required", "Revisions of a post (writers)", REVISIONS),
    route(
      "POST",
      "/blog/posts/:id/revisions/:revision/restore",
      "blog.restoreRevision",
      "required",
      "Restore a revision as a new one (writers)",
      POST,
    ),
    route(
      "POST",
      "/blog/posts/:id/views",
      "blog.recordView",
      "optional",
      "Count a read (once per reader per window)",
      POST_VIEW_COUNTED,
    ),
    route(
      "PUT",
      "/blog/posts/:id/cover",
      "blog.uploadCover",
      "required",
      "Upload the cover image (raw PNG/JPEG/GIF/WebP body; writers)",
      POST,
      { stream: true },
    ),
    route("DELETE", "/blog/posts/:id/cover", "blog.removeCover", "required", "Remove the cover image (writers)", POST),
    mediaRoute("/blog/covers/:postId/:file", "blog.cover", "optional", "A post's cover image", {
      rateLimitBucket: "media",
      responseTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"],
    }),
    route(
      "GET",
      "/blog/:blog/posts/:slug",
      "blog.getBySlug",
      "optional",
      "A post by blog and slug (old slugs answer 301)",
      POST,
    ),
    mediaRoute("/blog/feeds/:blog/:format", "blog.feed", "none", "RSS 2.0 (rss) or Atom (atom) feed of a blog", {
      responseTypes: FEED_TYPES,
    }),
    mediaRoute("/blog/feeds/:blog/category/:category/:format", "blog.feed", "none", "Feed of one category of a blog", {
      responseTypes: FEED_TYPES,
    }),
    mediaRoute("/blog/feeds/:blog/tag/:tag/:format", "blog.feed", "none", "Feed of one tag of a blog", {
      responseTypes: FEED_TYPES,
    }),
    route(
      "GET",
      "/blog/channels/:channelId/editors",
      "blog.listEditors",
      "required",
      "Editors of a channel's blog (channel owner)",
      EDITORS,
    ),
    route(
      "POST",
      "/blog/channels/:channelId/editors",
      "blog.addEditor",
      "required",
      "Name an editor of the channel's blog (owner)",
      EDITORS,
    ),
    route(
      "DELETE",
      "/blog/channels/:channelId/editors/:userId",
      "blog.removeEditor",
      "required",
      "Remove an editor (owner)",
      EDITORS,
    ),
    route(
      "GET",
      "/blog/posts/:postId/comments",
      "blog.listComments",
      "optional",
      "Comments (top level, or one thread with rootId)",
      BLOG_COMMENT_PAGE,
    ),
    route("POST", "/blog/posts/:postId/comments", "blog.createComment", "required", "Comment or reply", BLOG_COMMENT, {
      status: 201,
    }),
    route(
      "PATCH",
      "/blog/posts/:postId/comments/:id",
      "blog.editComment",
      "required",
      "Edit a comment (author, within the edit window)",
      BLOG_COMMENT,
    ),
    route(
      "DELETE",
      "/blog/posts/:postId/comments/:id",
      "blog.deleteComment",
      "required",
      "Delete (author) or remove (writers, moderators) a comment",
      BLOG_COMMENT,
    ),
    route(
      "POST",
      "/blog/posts/:postId/comments/:id/hide",
      "blog.hideComment",
      "required",
      "Hide or show a comment (writers, moderators)",
      BLOG_COMMENT,
    ),
    route(
      "POST",
      "/blog/rerender",
      "blog.rerender",
      "required",
      "Re-render posts after a sanitizer upgrade (admins)",
      RERENDER,
      {
        roles: ["admin"],
      },
    ),
  ],
};
