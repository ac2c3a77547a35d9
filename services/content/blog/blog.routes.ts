import type { RouteSpec, RouteTable } from "../../edge/api/route-table";
import { FEED_CONTENT_TYPES } from "./feed-render";

const FEED_TYPES = [FEED_CONTENT_TYPES.rss, FEED_CONTENT_TYPES.atom];

/**
 * /api/v1/blog/*. Who may write, read drafts or moderate is decided in the
 * blog service itself; the gateway only requires a token where one is needed.
 * Feeds and covers are not JSON: the actions set the content type and
 * caching headers, and the gateway answers 304 to a matching conditional GET.
 */
const route = (
  method: RouteSpec["method"],
  path: string,
  action: string,
  auth: RouteSpec["auth"],
  summary: string,
  extra: Partial<RouteSpec> = {},
): RouteSpec => ({ method, path, action, auth, summary, ...extra });

export const blogRoutes: RouteTable = {
  routes: [
    route(
      "GET",
      "/blog/posts",
      "blog.list",
      "optional",
      "List published posts (blog, category, tag, kind, author; cursor pages); writers list drafts",
    ),
    route(
      "POST",
      "/blog/posts",
      "blog.create",
      "required",
      "Write a draft (site blog: editors; channel blog: owner and named editors)",
      { status: 201 },
    ),
    route("GET", "/blog/posts/:id", "blog.get", "optional", "A post (drafts: its blog's writers only)"),
    route(
      "PATCH",
      "/blog/posts/:id",
      "blog.update",
      "required",
      "Edit a post (writers); content changes add a revision",
    ),
    route(
      "DELETE",
      "/blog/posts/:id",
      "blog.remove",
      "required",
      "Delete a post with its comments and cover (writers)",
    ),
    route("GET", "/blog/posts/:id/related", "blog.related", "optional", "Published posts sharing the most tags"),
    route(
      "POST",
      "/blog/posts/:id/publish",
      "blog.publish",
      "required",
      "Publish now, or at `at` (scheduled, durable)",
    ),
    route("POST", "/blog/posts/:id/unpublish", "blog.unpublish", "required", "Back to draft (cancels a schedule)"),
    route("GET", "/blog/posts/:id/revisions", "blog.revisions", "required", "Revisions of a post (writers)"),
    route(
      "POST",
      "/blog/posts/:id/revisions/:revision/restore",
      "blog.restoreRevision",
      "required",
      "Restore a revision as a new one (writers)",
    ),
    route("POST", "/blog/posts/:id/views", "blog.recordView", "optional", "Count a read (once per reader per window)"),
    route(
      "PUT",
      "/blog/posts/:id/cover",
      "blog.uploadCover",
      "required",
      "Upload the cover image (raw PNG/JPEG/GIF/WebP body; writers)",
      { stream: true },
    ),
    route("DELETE", "/blog/posts/:id/cover", "blog.removeCover", "required", "Remove the cover image (writers)"),
    route("GET", "/blog/covers/:postId/:file", "blog.cover", "optional", "A post's cover image", {
      rateLimitBucket: "media",
      responseTypes: ["image/png", "image/jpeg", "image/gif", "image/webp"],
    }),
    route(
      "GET",
      "/blog/:blog/posts/:slug",
      "blog.getBySlug",
      "optional",
      "A post by blog and slug (old slugs answer 301)",
    ),
    route("GET", "/blog/feeds/:blog/:format", "blog.feed", "none", "RSS 2.0 (rss) or Atom (atom) feed of a blog", {
      responseTypes: FEED_TYPES,
    }),
    route(
      "GET",
      "/blog/feeds/:blog/category/:category/:format",
      "blog.feed",
      "none",
      "Feed of one category of a blog",
      { responseTypes: FEED_TYPES },
    ),
    route("GET", "/blog/feeds/:blog/tag/:tag/:format", "blog.feed", "none", "Feed of one tag of a blog", {
      responseTypes: FEED_TYPES,
    }),
    route(
      "GET",
      "/blog/channels/:channelId/editors",
      "blog.listEditors",
      "required",
      "Editors of a channel's blog (channel owner)",
    ),
    route(
      "POST",
      "/blog/channels/:channelId/editors",
      "blog.addEditor",
      "required",
      "Name an editor of the channel's blog (owner)",
    ),
    route(
      "DELETE",
      "/blog/channels/:channelId/editors/:userId",
      "blog.removeEditor",
      "required",
      "Remove an editor (owner)",
    ),
    route(
      "GET",
      "/blog/posts/:postId/comments",
      "blog.listComments",
      "optional",
      "Comments (top level, or one thread with rootId)",
    ),
    route("POST", "/blog/posts/:postId/comments", "blog.createComment", "required", "Comment or reply", {
      status: 201,
    }),
    route(
      "PATCH",
      "/blog/posts/:postId/comments/:id",
      "blog.editComment",
      "required",
      "Edit a comment (author, within the edit window)",
    ),
    route(
      "DELETE",
      "/blog/posts/:postId/comments/:id",
      "blog.deleteComment",
      "required",
      "Delete (author) or remove (writers, moderators) a comment",
    ),
    route(
      "POST",
      "/blog/posts/:postId/comments/:id/hide",
      "blog.hideComment",
      "required",
      "Hide or show a comment (writers, moderators)",
    ),
    route("POST", "/blog/rerender", "blog.rerender", "required", "Re-render posts after a sanitizer upgrade (admins)", {
      roles: ["admin"],
    }),
  ],
};
