/** Typed calls to /api/v1/videos for the VOD specs (never throw on 4xx/5xx). */
import type { ApiClient, ApiResponse, ErrorBody } from "../../../../helpers/api-client";
import type { CommentView, VideoView } from "../../../../../services/media/videos/video.types";
import type { PlaybackResult } from "../../../../../services/media/videos/playback-actions";
import type { VideoPage } from "../../../../../services/media/videos/video-listing";
import type { UploadGrant } from "../../../../../services/media/videos/upload-actions";

type R<T> = Promise<ApiResponse<T | ErrorBody>>;
const enc = encodeURIComponent;
const qs = (query: Record<string, string | number>): string =>
  new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();

export function videosApi(api: ApiClient) {
  return {
    create: (input: {
      channelId: string;
      title: string;
      description?: string;
      category?: string;
      tags?: string[];
      visibility?: string;
    }): R<VideoView> => api.request("POST", "/videos", input),
    get: (id: string): R<VideoView> => api.request("GET", `/videos/${enc(id)}`),
    /** GET /me/videos?ids=a,b (the ids as given, unencoded: a test may send malformed ones). */
    byIds: (ids: string[]): R<{ items: VideoView[] }> => api.request("GET", `/me/videos?ids=${ids.join(",")}`),
    list: (query: Record<string, string | number> = {}): R<VideoPage> => api.request("GET", `/videos?${qs(query)}`),
    update: (id: string, patch: Record<string, unknown>): R<VideoView> =>
      api.request("PATCH", `/videos/${enc(id)}`, patch),
    remove: (id: string): R<{ id: string; deleted: true }> => api.request("DELETE", `/videos/${enc(id)}`),
    uploadUrl: (id: string, input: { contentType: string; size: number }): R<UploadGrant> =>
      api.request("POST", `/videos/${enc(id)}/upload-url`, input),
    completeUpload: (
      id: string,
      multipart?: { uploadId: string; parts: { partNumber: number; etag: string }[] },
    ): R<VideoView> => api.request("POST", `/videos/${enc(id)}/upload-complete`, multipart ?? {}),
    retry: (id: string): R<VideoView> => api.request("POST", `/videos/${enc(id)}/retry`, {}),
    playback: (id: string, headers: Record<string, string> = {}): R<PlaybackResult> =>
      api.request("GET", `/videos/${enc(id)}/playback`, undefined, { headers }),
    comments: (
      videoId: string,
      query: Record<string, string | number> = {},
    ): R<{ items: CommentView[]; nextCursor: string | null }> =>
      api.request("GET", `/videos/${enc(videoId)}/comments?${qs(query)}`),
    comment: (videoId: string, body: string, parentId?: string): R<CommentView> =>
      api.request("POST", `/videos/${enc(videoId)}/comments`, parentId ? { body, parentId } : { body }),
    editComment: (videoId: string, id: string, body: string): R<CommentView> =>
      api.request("PATCH", `/videos/${enc(videoId)}/comments/${enc(id)}`, { body }),
    deleteComment: (videoId: string, id: string): R<CommentView> =>
      api.request("DELETE", `/videos/${enc(videoId)}/comments/${enc(id)}`),
    /** Raw upload: the body as given, with the headers given (fetch computes Content-Length). */
    async upload(
      id: string,
      body: Buffer | Uint8Array,
      contentType?: string,
      extraHeaders: Record<string, string> = {},
    ): R<VideoView> {
      const headers: Record<string, string> = { accept: "application/json", ...extraHeaders };
      if (api.token) headers.authorization = `Bearer ${api.token}`;
      if (contentType) headers["content-type"] = contentType;
      // The client's fetch, so a checking fetch (test/helpers/response-check.ts) sees uploads too.
      const res = await api.fetchImpl(`${api.baseUrl}/api/v1/videos/${enc(id)}/source`, {
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
      return { status: res.status, body: parsed as VideoView | ErrorBody, headers: res.headers };
    },
  };
}

export type VideosApi = ReturnType<typeof videosApi>;

export function isError(body: unknown): body is ErrorBody {
  return typeof body === "object" && body !== null && "error" in body;
}

/** The body of a 2xx, or a failure that shows what came back. */
export function ok<T>(res: ApiResponse<T | ErrorBody>, expected = [200, 201]): T {
  if (!expected.includes(res.status) || isError(res.body))
    throw new Error(`Expected ${expected.join("/")}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}
