import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type {
  BlogCommentDoc,
  BlogEditorDoc,
  PostDoc,
  PostRevisionDoc,
  PostSlugDoc,
  PostViewDoc,
  PublishTimerDoc,
} from "./post.types";

/** Relational entities (the blog lives in PostgreSQL / PGlite; listings use SQL the entity store cannot express). */
const content = {
  title: { type: "string", required: true },
  summary: { type: "text", default: "" },
  bodyMarkdown: { type: "text", default: "" },
  category: { type: "string", default: null },
  tags: { type: "json", default: () => [] },
  kind: { type: "string", required: true },
  reviewScore: { type: "float", default: null },
} as const;

const posts = entity<PostDoc>()({
  table: "posts",
  kind: "relational",
  fields: {
    ...content,
    blogId: { type: "string", required: true },
    channelId: { type: "string", default: null },
    authorId: { type: "string", required: true },
    authorName: { type: "string", required: true },
    slug: { type: "string", required: true },
    bodyHtml: { type: "text", default: "" },
    renderedWith: { type: "string", required: true },
    coverKey: { type: "string", default: null },
    status: { type: "string", required: true },
    visibility: { type: "string", default: "public" },
    publishedAt: { type: "date", default: null },
    scheduledAt: { type: "date", default: null },
    commentsClosed: { type: "boolean", default: false },
    viewCount: { type: "integer", default: 0 },
    commentCount: { type: "integer", default: 0 },
    revision: { type: "integer", default: 1 },
    version: { type: "integer", default: 1 },
    changedAt: { type: "date", required: true },
  },
});

const slugs = entity<PostSlugDoc>()({
  table: "post_slugs",
  kind: "relational",
  fields: {
    blogId: { type: "string", required: true },
    slug: { type: "string", required: true },
    postId: { type: "string", required: true },
  },
});

const revisions = entity<PostRevisionDoc>()({
  table: "post_revisions",
  kind: "relational",
  fields: {
    ...content,
    postId: { type: "string", required: true },
    revision: { type: "integer", required: true },
    editorId: { type: "string", required: true },
  },
});

const timers = entity<PublishTimerDoc>()({
  table: "publish_timers",
  kind: "relational",
  fields: {
    postId: { type: "string", required: true },
    dueAt: { type: "date", required: true },
    state: { type: "string", required: true },
    attempts: { type: "integer", default: 0 },
    leaseOwner: { type: "string", default: null },
    leaseUntil: { type: "date", default: null },
    lastError: { type: "text", default: null },
  },
});

const editors = entity<BlogEditorDoc>()({
  table: "blog_editors",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    userId: { type: "string", required: true },
    addedBy: { type: "string", required: true },
  },
});

const views = entity<PostViewDoc>()({
  table: "post_views",
  kind: "relational",
  fields: {
    postId: { type: "string", required: true },
    viewerKey: { type: "string", required: true },
    lastCountedAt: { type: "date", required: true },
  },
});

const comments = entity<BlogCommentDoc>()({
  table: "post_comments",
  kind: "relational",
  fields: {
    postId: { type: "string", required: true },
    blogId: { type: "string", required: true },
    channelId: { type: "string", default: null },
    authorId: { type: "string", required: true },
    authorName: { type: "string", required: true },
    parentId: { type: "string", default: null },
    rootId: { type: "string", default: null },
    depth: { type: "integer", default: 0 },
    body: { type: "text", required: true },
    status: { type: "string", default: "visible" },
    editedAt: { type: "date", default: null },
    moderatedBy: { type: "string", default: null },
    replyCount: { type: "integer", default: 0 },
  },
});

export const BLOG_DB: DbMixinOptions = {
  schema: "blog",
  entities: { posts, slugs, revisions, timers, editors, views, comments },
  primary: "posts",
  migrations: [{ name: "blog", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
