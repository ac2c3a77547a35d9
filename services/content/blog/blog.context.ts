import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { ObjectStorage } from "../../../lib/storage";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { ReadCache } from "./read-cache";
import type { PublishScheduler } from "./publish-scheduler";
import type {
  BlogCommentDoc,
  BlogEditorDoc,
  PostDoc,
  PostRevisionDoc,
  PostSlugDoc,
  PostViewDoc,
  PublishTimerDoc,
} from "./post.types";

export interface BlogSettings {
  /** A viewer's repeat reads within this window count once (the VOD rule, lib/views). */
  viewWindowMs: number;
  /** Comments per author per window before 429. */
  commentRateLimit: { max: number; windowMs: number };
  /** How long after posting an author may still edit their comment. */
  commentEditWindowMs: number;
  /** Blocked terms for comments on the site blog (channel blogs use the channel's chat list). */
  siteBlockedTerms: string[];
  /** Largest cover image, bytes. */
  coverMaxBytes: number;
  /** How often each node looks for due scheduled posts. */
  schedulerPollMs: number;
  /** How long a node holds a due timer while publishing it. */
  schedulerLeaseMs: number;
  /** Set to false for a node that serves the API but never fires scheduled posts. */
  runScheduler: boolean;
  /** Entries of the per-node feed/post cache, and how long one may live without an invalidation. */
  cacheEntries: number;
  cacheTtlMs: number;
  /** Items per feed. */
  feedItems: number;
}

export interface BlogStores {
  posts: EntityStore<PostDoc>;
  slugs: EntityStore<PostSlugDoc>;
  revisions: EntityStore<PostRevisionDoc>;
  timers: EntityStore<PublishTimerDoc>;
  editors: EntityStore<BlogEditorDoc>;
  views: EntityStore<PostViewDoc>;
  comments: EntityStore<BlogCommentDoc>;
}

/** `this` inside the blog service. */
export interface BlogThis extends Service<BlogSettings>, DurableEventsMethods {
  stores: BlogStores;
  db: DbHandle;
  storage: ObjectStorage;
  commentLimits: RateLimitStore;
  /** Rendered feeds and post views, dropped on every change of their blog (all nodes). */
  cache: ReadCache;
  scheduler: PublishScheduler;
  /** Salt for hashing anonymous readers' addresses. */
  viewerSalt: string;
  /** PUBLIC_URL without a trailing slash: feeds and post links are absolute. */
  publicUrl: string;
}

/** The context of an action (lib/contracts: the one Arena context type). */
export type BlogContext<P = unknown> = ArenaContext<P>;
