/**
 * Durable events the blog publishes (transactional outbox). Search indexes
 * public published posts and drops unpublished/deleted ones; notifications
 * tells a channel's followers about a new post and authors about comments.
 * Consumers order updates of one post by `version` (it grows on every change)
 * and ignore anything older than what they hold.
 */
import type { PostKind, PostStatus, PostVisibility } from "./post.types";

/** What describes a post in events: enough to index it and to notify about it without a call back. */
export interface PostEventBody {
  postId: string;
  /** "site" or the channel id. */
  blogId: string;
  /** The channel whose blog it is; null on the site blog. */
  channelId: string | null;
  authorId: string;
  authorName: string;
  title: string;
  slug: string;
  summary: string;
  category: string | null;
  tags: string[];
  kind: PostKind;
  reviewScore: number | null;
  visibility: PostVisibility;
  /** Absolute link of the post's page. */
  url: string;
  version: number;
  updatedAt: string;
}

export interface PostPublished extends PostEventBody {
  publishedAt: string;
  /** True when a scheduled publication fired (not a writer's click). */
  scheduled: boolean;
}

/** A change to a post that is (or was) visible, or to a draft's content: status says which. */
export interface PostUpdated extends PostEventBody {
  status: PostStatus;
  publishedAt: string | null;
}

export interface PostUnpublished {
  postId: string;
  blogId: string;
  channelId: string | null;
  version: number;
  updatedAt: string;
}

export interface PostDeleted {
  postId: string;
  blogId: string;
  channelId: string | null;
  authorId: string;
  version: number;
  deletedAt: string;
}

export interface PostCommentCreated {
  commentId: string;
  postId: string;
  blogId: string;
  channelId: string | null;
  /** Who a notification about the comment goes to. */
  postAuthorId: string;
  postTitle: string;
  authorId: string;
  parentId: string | null;
  parentAuthorId: string | null;
  body: string;
  createdAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "post.published": PostPublished;
    "post.updated": PostUpdated;
    "post.unpublished": PostUnpublished;
    "post.deleted": PostDeleted;
    "post.comment.created": PostCommentCreated;
  }
}

/** Plain signal: a blog's posts changed, so every blog node drops its cached feeds and posts of it. */
export interface BlogPostsChanged {
  blogId: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "blog.posts.changed": BlogPostsChanged;
  }
}
