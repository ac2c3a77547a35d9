import { get as httpGet } from "node:http";
/** Typed calls to /api/v1/blog for the blog specs (never throw on 4xx/5xx). */
import type { ApiClient, ApiResponse, ErrorBody } from "../../../../helpers/api-client";
import type {
  CommentView,
  PostSummaryView,
  PostView,
  RevisionView,
} from "../../../../../services/content/blog/post.types";
import type { CursorPage } from "../../../../../lib/pagination";
import type { ViewResult } from "../../../../../services/content/blog/view-actions";

type R<T> = Promise<ApiResponse<T | ErrorBody>>;
const enc = encodeURIComponent;
const qs = (query: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();

export interface NewPost {
  blog: string;
  title: string;
  body: string;
  summary?: string;
  slug?: string;
  category?: string;
  tags?: string[];
  kind?: string;
  reviewScore?: number;
  visibility?: string;
  commentsClosed?: boolean;
}

export function blogApi(api: ApiClient) {
  return {
    create: (input: NewPost): R<PostView> => api.request("POST", "/blog/posts", input),
    get: (id: string): R<PostView> => api.request("GET", `/blog/posts/${enc(id)}`),
    bySlug: (blog: string, slug: string): R<PostView> => api.request("GET", `/blog/${enc(blog)}/posts/${enc(slug)}`),
    list: (query: Record<string, string | number> = {}): R<CursorPage<PostSummaryView>> =>
      api.request("GET", `/blog/posts?${qs(query)}`),
    related: (id: string): R<{ items: PostSummaryView[] }> => api.request("GET", `/blog/posts/${enc(id)}/related`),
    update: (id: string, patch: Record<string, unknown>): R<PostView> =>
      api.request("PATCH", `/blog/posts/${enc(id)}`, patch),
    remove: (id: string): R<{ id: string; deleted: true }> => api.request("DELETE", `/blog/posts/${enc(id)}`),
    publish: (id: string, at?: string): R<PostView> =>
      api.request("POST", `/blog/posts/${enc(id)}/publish`, at ? { at } : {}),
    unpublish: (id: string): R<PostView> => api.request("POST", `/blog/posts/${enc(id)}/unpublish`, {}),
    revisions: (id: string): R<{ items: RevisionView[] }> => api.request("GET", `/blog/posts/${enc(id)}/revisions`),
    restore: (id: string, revision: number): R<PostView> =>
      api.request("POST", `/blog/posts/${enc(id)}/revisions/${revision}/restore`, {}),
    view: (id: string): R<ViewResult> => api.request("POST", `/blog/posts/${enc(id)}/views`, {}),
    removeCover: (id: string): R<PostView> => api.request("DELETE", `/blog/posts/${enc(id)}/cover`),
    editors: (channelId: string) => api.request("GET", `/blog/channels/${enc(channelId)}/editors`),
    addEditor: (channelId: string, userId: string) =>
      api.request("POST", `/blog/channels/${enc(channelId)}/editors`, { userId }),
    removeEditor: (channelId: string, userId: string) =>
      api.request("DELETE", `/blog/channels/${enc(channelId)}/editors/${enc(userId)}`),
    comments: (postId: string, query: Record<string, string | number> = {}): R<CursorPage<CommentView>> =>
      api.request("GET", `/blog/posts/${enc(postId)}/comments?${qs(query)}`),
    comment: (postId: string, body: string, parentId?: string): R<CommentView> =>
      api.request("POST", `/blog/posts/${enc(postId)}/comments`, parentId ? { body, parentId } : { body }),
    editComment: (postId: string, id: string, body: string): R<CommentView> =>
      api.request("PATCH", `/blog/posts/${enc(postId)}/comments/${enc(id)}`, { body }),
    deleteComment: (postId: string, id: string): R<CommentView> =>
      api.request("DELETE", `/blog/posts/${enc(postId)}/comments/${enc(id)}`),
    hideComment: (postId: string, id: string, hidden = true): R<CommentView> =>
      api.request("POST", `/blog/posts/${enc(postId)}/comments/${enc(id)}/hide`, { hidden }),
    rerender: (all = false): R<{ rendered: number; renderer: string }> =>
      api.request("POST", "/blog/rerender", { all }),
    /** Raw cover upload: the body and type as given. */
    async uploadCover(id: string, body: Buffer, contentType = "application/octet-stream"): R<PostView> {
      const headers: Record<string, string> = { accept: "application/json", "content-type": contentType };
      if (api.token) headers.authorization = `Bearer ${api.token}`;
      // The client's fetch, so a checking fetch (test/helpers/response-check.ts) sees uploads too.
      const res = await api.fetchImpl(`${api.baseUrl}/api/v1/blog/posts/${enc(id)}/cover`, {
        method: "PUT",
        headers,
        body,
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // keep text
      }
      return { status: res.status, body: parsed as PostView | ErrorBody, headers: res.headers };
    },
    /**
     * A feed as text, with the response headers, requested the way a feed
     * reader does it (node:http: fetch adds Cache-Control: no-cache to any
     * conditional request, which rightly defeats the 304).
     */
    feed(
      path: string,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; text: string; headers: Headers }> {
      return new Promise((resolve, reject) => {
        const req = httpGet(`${api.baseUrl}/api/v1/blog/feeds/${path}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") out.set(k, v);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headers: out });
          });
          res.on("error", reject);
        });
        req.on("error", reject);
      });
    },
  };
}

export type BlogApi = ReturnType<typeof blogApi>;
