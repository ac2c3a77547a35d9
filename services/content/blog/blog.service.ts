/**
 * blog: gaming news, reviews and guides on the site blog (editors) and on
 * channel blogs (the owner and the editors they name). Markdown rendered and
 * sanitized once on write, revisions, scheduled publication on a durable
 * timer, threaded moderated comments, read counts, RSS/Atom feeds. Domain
 * logic lives in the neighbouring files; this file wires them.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { createObjectStorage } from "../../../lib/storage";
import { DEFAULT_VIEW_WINDOW_MS } from "../../../lib/views/view-window";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import type { BlogContext, BlogSettings, BlogStores, BlogThis } from "./blog.context";
import { BLOG_DB } from "./blog.entities";
import * as P from "./blog.params";
import {
  createComment,
  deleteComment,
  editComment,
  hideComment,
  listComments,
  type CommentRef,
  type CreateCommentParams,
  type ListCommentsParams,
} from "./comment-actions";
import { removeCover, serveCover, uploadCover } from "./cover-actions";
import { addEditor, listEditors, removeEditor, type EditorRef } from "./editor-actions";
import { feed, type FeedParams } from "./feed-actions";
import { listPosts, relatedPosts, type ListPostsParams } from "./list-posts";
import {
  createPost,
  getManyPosts,
  getPost,
  getPostBySlug,
  removePost,
  updatePost,
  type CreatePostParams,
  type UpdatePostParams,
} from "./post-actions";
import { fireTimer, publishPost, unpublishPost, type PublishParams } from "./publish-actions";
import { PublishScheduler } from "./publish-scheduler";
import { ReadCache } from "./read-cache";
import { listRevisions, rerenderPosts, restoreRevision } from "./revision-actions";
import { recordView } from "./view-actions";
import "./blog.contract";
import "./blog.events";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import "../../media/chat/chat.contract";

export type { BlogSettings, BlogThis } from "./blog.context";

type Ctx<T> = BlogContext<T>;

const BlogService: ServiceSchema<BlogSettings> = {
  name: "blog",
  mixins: [DbMixin(BLOG_DB), DurableEventsMixin()],

  settings: {
    viewWindowMs: DEFAULT_VIEW_WINDOW_MS,
    commentRateLimit: { max: 5, windowMs: 60_000 },
    commentEditWindowMs: 15 * 60_000,
    siteBlockedTerms: [],
    coverMaxBytes: 5 * 1024 * 1024,
    schedulerPollMs: 5_000,
    schedulerLeaseMs: 30_000,
    runScheduler: true,
    cacheEntries: 2_000,
    cacheTtlMs: 30_000,
    feedItems: 30,
  },

  actions: {
    /** A new draft on a blog the caller writes on. */
    create: { params: P.CREATE_POST, handler: (ctx: Ctx<CreatePostParams>) => createPost(svcOf(ctx), ctx) },
    /** A post by id (drafts for the blog's writers only). */
    get: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => getPost(svcOf(ctx), ctx) },
    /** A post by blog and slug; an old slug answers 301 to the current one. */
    getBySlug: {
      params: P.BY_SLUG,
      handler: (ctx: Ctx<{ blog: string; slug: string }>) => getPostBySlug(svcOf(ctx), ctx),
    },
    /** Batch read for other services: published posts only. */
    getMany: { params: P.BY_IDS, handler: (ctx: Ctx<{ ids: string[] }>) => getManyPosts(svcOf(ctx), ctx) },
    /** Cursor pages of published posts with filters; writers list drafts/scheduled of their blog. */
    list: { params: P.LIST_POSTS, handler: (ctx: Ctx<ListPostsParams>) => listPosts(svcOf(ctx), ctx) },
    /** Published posts sharing the most tags with this one. */
    related: {
      params: P.RELATED,
      handler: (ctx: Ctx<{ id: string; limit?: number }>) => relatedPosts(svcOf(ctx), ctx),
    },
    /** Writers edit; content changes add a revision, a rename keeps the old slug as a redirect. */
    update: { params: P.UPDATE_POST, handler: (ctx: Ctx<UpdatePostParams>) => updatePost(svcOf(ctx), ctx) },
    /** Writers delete a post with its comments, revisions and cover. */
    remove: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => removePost(svcOf(ctx), ctx) },
    /** Publish now, or schedule at a time (durable timer). */
    publish: { params: P.PUBLISH, handler: (ctx: Ctx<PublishParams>) => publishPost(svcOf(ctx), ctx) },
    /** Back to draft. */
    unpublish: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => unpublishPost(svcOf(ctx), ctx) },
    /** Revision history (writers). */
    revisions: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => listRevisions(svcOf(ctx), ctx) },
    /** Restore a revision as a new one (writers). */
    restoreRevision: {
      params: P.RESTORE,
      handler: (ctx: Ctx<{ id: string; revision: number }>) => restoreRevision(svcOf(ctx), ctx),
    },
    /** Admins: re-render stored markdown after a renderer/sanitizer change. */
    rerender: {
      params: P.RERENDER,
      timeout: 10 * 60_000,
      handler: (ctx: Ctx<{ all?: boolean }>) => rerenderPosts(svcOf(ctx), ctx),
    },
    /** Counts a read once per reader per window. */
    recordView: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => recordView(svcOf(ctx), ctx) },
    /** Raw image body (the post id comes from the route, ctx.meta.$params); sniffed and size-limited here. */
    uploadCover: { handler: (ctx: Ctx<Readable>) => uploadCover(svcOf(ctx), ctx) },
    /** Drops the cover. */
    removeCover: { params: P.BY_ID, handler: (ctx: Ctx<{ id: string }>) => removeCover(svcOf(ctx), ctx) },
    /** The cover image bytes. */
    cover: { params: P.COVER, handler: (ctx: Ctx<{ postId: string; file: string }>) => serveCover(svcOf(ctx), ctx) },
    /** RSS or Atom feed of a blog, category or tag (cached; ETag/Last-Modified). */
    feed: { params: P.FEED, handler: (ctx: Ctx<FeedParams>) => feed(svcOf(ctx), ctx) },
    /** A channel blog's named editors (channel owner). */
    listEditors: { params: P.CHANNEL, handler: (ctx: Ctx<{ channelId: string }>) => listEditors(svcOf(ctx), ctx) },
    addEditor: { params: P.EDITOR, handler: (ctx: Ctx<EditorRef>) => addEditor(svcOf(ctx), ctx) },
    removeEditor: { params: P.EDITOR, handler: (ctx: Ctx<EditorRef>) => removeEditor(svcOf(ctx), ctx) },
    /** A comment or reply (blocked terms, rate limit, closed posts refused). */
    createComment: {
      params: P.CREATE_COMMENT,
      handler: (ctx: Ctx<CreateCommentParams>) => createComment(svcOf(ctx), ctx),
    },
    listComments: { params: P.LIST_COMMENTS, handler: (ctx: Ctx<ListCommentsParams>) => listComments(svcOf(ctx), ctx) },
    /** The author edits within the edit window. */
    editComment: {
      params: P.EDIT_COMMENT,
      handler: (ctx: Ctx<CommentRef & { body: string }>) => editComment(svcOf(ctx), ctx),
    },
    deleteComment: { params: P.COMMENT_REF, handler: (ctx: Ctx<CommentRef>) => deleteComment(svcOf(ctx), ctx) },
    hideComment: {
      params: P.HIDE_COMMENT,
      handler: (ctx: Ctx<CommentRef & { hidden: boolean }>) => hideComment(svcOf(ctx), ctx),
    },

    /** Internal: what blog holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: BlogThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"blog", BlogThis>,

  events: {
    /** Another node changed a blog: drop what this node cached of it. */
    ...onEvent("blog.posts.changed", function (this: BlogThis, payload, ctx) {
      // This node already dropped it when the change committed; a second drop would discard a fresh rebuild.
      if (ctx.nodeID !== this.broker.nodeID) this.cache.invalidate(payload.blogId);
    }),
  },

  channels: userDeletionHandlers,

  created(this: Service<BlogSettings>) {
    const svc = this as BlogThis;
    const config = getConfig();
    svc.storage = createObjectStorage(config);
    svc.commentLimits = createRateLimitStore(config, `${config.namespace}:blog`);
    svc.viewerSalt = config.media.urlSecret;
    svc.publicUrl = config.publicUrl.replace(/\/+$/, "");
    svc.cache = new ReadCache(svc.settings.cacheEntries, svc.settings.cacheTtlMs);
  },

  async started(this: Service<BlogSettings>) {
    const svc = this as BlogThis;
    const stores = svc.stores as unknown as BlogStores;
    svc.scheduler = new PublishScheduler(stores.timers, {
      owner: `${svc.broker.nodeID}:${randomBytes(3).toString("hex")}`,
      pollMs: svc.settings.schedulerPollMs,
      leaseMs: svc.settings.schedulerLeaseMs,
      fire: (timer) => fireTimer(svc, timer),
      logger: svc.logger,
    });
    // Timers due while no node ran (or whose node died mid-fire) go out now.
    if (svc.settings.runScheduler) svc.scheduler.start();
  },

  async stopped(this: Service<BlogSettings>) {
    const svc = this as BlogThis;
    await svc.scheduler?.stop();
    await svc.commentLimits?.close();
  },
};

/** The service instance behind a call (handlers are arrow functions so the table above stays one line each). */
function svcOf(ctx: BlogContext<unknown>): BlogThis {
  return ctx.service as unknown as BlogThis;
}

export default BlogService;
