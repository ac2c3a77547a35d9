import {
  cursorPageSchema,
  s,
  STORED_DOCUMENT_FIELDS,
  type PropertySchemas,
  type Schema,
} from "../../../lib/http/response-schema";
import { commentRecordFields, commentViewFields } from "../../../lib/comments/comment-view";
import type { BlogUserData, ExportedPost } from "./blog.contract";
import type { EditorView } from "./editor-actions";
import type { RerenderResult } from "./revision-actions";
import type { ViewResult } from "./view-actions";
import {
  COMMENT_STATUSES,
  POST_KINDS,
  POST_STATUSES,
  POST_VISIBILITIES,
  type CommentView,
  type PostSummaryView,
  type PostView,
  type RevisionView,
} from "./post.types";

/** Response bodies of /blog routes, typed by the views the actions return (blog.routes.ts). */

/**
 * What a revision (PostRevision) and the stored post (BlogPostRecord, the data export) both list, in the same order:
 * each schema spreads them where its own fields go, so the OpenAPI document keeps its property order.
 */
const POST_CONTENT_FIELDS: PropertySchemas<
  Pick<RevisionView, "title" | "summary" | "bodyMarkdown" | "category" | "tags" | "kind" | "reviewScore">
> = {
  title: s.string(),
  summary: s.string(),
  bodyMarkdown: s.string(),
  category: s.nullable(s.string()),
  tags: s.array(s.string()),
  kind: s.enum(POST_KINDS),
  reviewScore: s.nullable(s.number()),
};

/** The state and counters of a post; its times are ISO strings in a view (`s.dateTime`), Dates in the record (`s.date`). */
function postStateFields<When extends string | Date>(when: () => Schema<When>) {
  return {
    status: s.enum(POST_STATUSES),
    visibility: s.enum(POST_VISIBILITIES),
    publishedAt: s.nullable(when()),
    scheduledAt: s.nullable(when()),
    commentsClosed: s.boolean(),
    viewCount: s.integer(),
    commentCount: s.integer(),
    revision: s.integer(),
    version: s.integer(),
  };
}

const SUMMARY_FIELDS: PropertySchemas<PostSummaryView> = {
  id: s.string(),
  blogId: s.string(),
  channelId: s.nullable(s.string()),
  authorId: s.string(),
  authorName: s.string(),
  title: s.string(),
  slug: s.string(),
  summary: s.string(),
  category: s.nullable(s.string()),
  tags: s.array(s.string()),
  kind: s.enum(POST_KINDS),
  reviewScore: s.nullable(s.number()),
  coverUrl: s.nullable(s.string()),
  ...postStateFields(s.dateTime),
  url: s.string(),
  createdAt: s.dateTime(),
  updatedAt: s.dateTime(),
};

export const POST_SUMMARY = s.named("PostSummary", s.object<PostSummaryView>()(SUMMARY_FIELDS));

export const POST = s.named(
  "Post",
  s.object<PostView>()({ ...SUMMARY_FIELDS, html: s.string(), markdown: s.optional(s.string()) }),
);

export const POST_PAGE = cursorPageSchema("PostSummary", POST_SUMMARY);

export const RELATED_POSTS = s.object<{ items: PostSummaryView[] }>()({ items: s.array(POST_SUMMARY) });

export const POST_DELETED = s.object<{ id: string; deleted: true }>()({ id: s.string(), deleted: s.literal(true) });

export const REVISIONS = s.object<{ items: RevisionView[] }>()({
  items: s.array(
    s.named(
      "PostRevision",
      s.object<RevisionView>()({
        postId: s.string(),
        revision: s.integer(),
        editorId: s.string(),
        createdAt: s.dateTime(),
        ...POST_CONTENT_FIELDS,
      }),
    ),
  ),
});

export const RERENDER = s.object<RerenderResult>()({ rendered: s.integer(), renderer: s.string() });

export const POST_VIEW_COUNTED = s.object<ViewResult>()({
  postId: s.string(),
  counted: s.boolean(),
  viewCount: s.integer(),
});

export const EDITORS = s.object<{ items: EditorView[] }>()({
  items: s.array(
    s.named(
      "BlogEditor",
      s.object<EditorView>()({ channelId: s.string(), userId: s.string(), addedBy: s.string(), addedAt: s.dateTime() }),
    ),
  ),
});

export const BLOG_COMMENT = s.named(
  "BlogComment",
  s.object<CommentView>()({ ...commentViewFields(COMMENT_STATUSES), postId: s.string() }),
);

export const BLOG_COMMENT_PAGE = cursorPageSchema("BlogComment", BLOG_COMMENT);

/** blog's section of GET /me/export: the stored posts and comments, field by field (no storage key, no moderatedBy). */
export const BLOG_USER_DATA = s.named(
  "BlogUserData",
  s.object<BlogUserData>()({
    posts: s.array(
      s.named(
        "BlogPostRecord",
        s.object<ExportedPost>()({
          ...STORED_DOCUMENT_FIELDS,
          ...POST_CONTENT_FIELDS,
          blogId: s.string(),
          channelId: s.nullable(s.string()),
          authorId: s.string(),
          authorName: s.string(),
          slug: s.string(),
          bodyHtml: s.string(),
          ...postStateFields(s.date),
          changedAt: s.date(),
        }),
      ),
    ),
    comments: s.array(
      s.named(
        "BlogCommentRecord",
        s.object<BlogUserData["comments"][number]>()({
          ...STORED_DOCUMENT_FIELDS,
          postId: s.string(),
          blogId: s.string(),
          channelId: s.nullable(s.string()),
          ...commentRecordFields(COMMENT_STATUSES),
        }),
      ),
    ),
  }),
);
