/**
 * The actions the blog service offers, as other services and the gateway
 * call them. Handlers in blog.service.ts are checked against these.
 */
import type { UserDataParams } from "../../../lib/contracts/user-data";
import type { Readable } from "node:stream";
import type { CursorPage } from "../../../lib/pagination";
import type { CommentRef, CreateCommentParams, ListCommentsParams } from "./comment-actions";
import type { EditorRef, EditorView } from "./editor-actions";
import type { FeedParams } from "./feed-actions";
import type { ListPostsParams, PostPage } from "./list-posts";
import type { CreatePostParams, UpdatePostParams } from "./post-actions";
import type { PublishParams } from "./publish-actions";
import type { RerenderResult } from "./revision-actions";
import type { ViewResult } from "./view-actions";
import type {
  BlogCommentDoc,
  CommentView,
  POST_BOOKKEEPING,
  PostDoc,
  PostSummaryView,
  PostView,
  RevisionView,
} from "./post.types";

/** A stored post as its author's data export shows it: without the cover's storage key or the renderer version. */
export type ExportedPost = Omit<PostDoc, (typeof POST_BOOKKEEPING)[number]>;

/**
 * blog's section of GET /me/export: the user's posts and comments, as stored (without who moderated a comment: a
 * moderator's identity is not the user's data).
 */
export type BlogUserData = { posts: ExportedPost[]; comments: Array<Omit<BlogCommentDoc, "moderatedBy">> };

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    /** Internal: what blog holds of a user, for GET /me/export (the user or an admin). */
    "blog.exportUserData": { params: UserDataParams; result: BlogUserData };
    "blog.create": { params: CreatePostParams; result: PostView };
    "blog.get": { params: { id: string }; result: PostView };
    "blog.getBySlug": { params: { blog: string; slug: string }; result: PostView };
    "blog.getMany": { params: { ids: string[] }; result: PostView[] };
    "blog.list": { params: ListPostsParams; result: PostPage };
    "blog.related": { params: { id: string; limit?: number }; result: { items: PostSummaryView[] } };
    "blog.update": { params: UpdatePostParams; result: PostView };
    "blog.remove": { params: { id: string }; result: { id: string; deleted: true } };
    "blog.publish": { params: PublishParams; result: PostView };
    "blog.unpublish": { params: { id: string }; result: PostView };
    "blog.revisions": { params: { id: string }; result: { items: RevisionView[] } };
    "blog.restoreRevision": { params: { id: string; revision: number }; result: PostView };
    "blog.rerender": { params: { all?: boolean }; result: RerenderResult };
    "blog.recordView": { params: { id: string }; result: ViewResult };
    /** The request body is the params (a stream); the post id travels in ctx.meta.$params. */
    "blog.uploadCover": { params: Readable; result: PostView };
    "blog.removeCover": { params: { id: string }; result: PostView };
    "blog.cover": { params: { postId: string; file: string }; result: Readable };
    "blog.feed": { params: FeedParams; result: string };
    "blog.listEditors": { params: { channelId: string }; result: { items: EditorView[] } };
    "blog.addEditor": { params: EditorRef; result: { items: EditorView[] } };
    "blog.removeEditor": { params: EditorRef; result: { items: EditorView[] } };
    "blog.createComment": { params: CreateCommentParams; result: CommentView };
    "blog.listComments": { params: ListCommentsParams; result: CursorPage<CommentView> };
    "blog.editComment": { params: CommentRef & { body: string }; result: CommentView };
    "blog.deleteComment": { params: CommentRef; result: CommentView };
    "blog.hideComment": { params: CommentRef & { hidden: boolean }; result: CommentView };
  }
}
