import type { Video } from "../api/schemas";
import { ApiError, api, putWithProgress, uploadRaw } from "../api/http";

/**
 * Sends a video's source the best way the storage allows: presigned S3 URLs
 * straight from the browser (one PUT, or parts of a multipart upload with
 * their ETags), or, on local storage (the API answers 409 to upload-url),
 * one streamed PUT through the gateway. Progress is reported throughout.
 */
export async function uploadSource(
  video: Video,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Video> {
  let grant;
  try {
    grant = await api("post /api/v1/videos/{id}/upload-url", {
      path: { id: video.id },
      body: { contentType: file.type || "video/mp4", size: file.size },
      signal,
    });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409 && /S3/.test(err.message))) throw err;
    return uploadRaw(
      "put /api/v1/videos/{id}/source",
      { path: { id: video.id } },
      file,
      (l, t) => onProgress(l / t),
      signal,
    );
  }
  if (grant.uploadUrl) {
    await putWithProgress("PUT", grant.uploadUrl, file, (l, t) => onProgress(l / t), signal, grant.headers);
    return api("post /api/v1/videos/{id}/upload-complete", { path: { id: video.id }, body: {} });
  }
  const multipart = grant.multipart;
  if (!multipart) throw new ApiError(500, "BAD_GRANT", "The upload grant has neither a URL nor parts");
  const sent = new Map<number, number>();
  const report = () => onProgress([...sent.values()].reduce((a, b) => a + b, 0) / file.size);
  const parts: { partNumber: number; etag: string }[] = [];
  // Two parts in flight: enough to fill a home uplink without starving the page.
  const queue = [...multipart.parts];
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const start = (part.partNumber - 1) * multipart.partSize;
      const blob = file.slice(start, Math.min(file.size, start + multipart.partSize));
      const partNumber = part.partNumber;
      const xhr = await putWithProgress("PUT", part.url, blob, (l) => (sent.set(partNumber, l), report()), signal, {});
      const etag = xhr.getResponseHeader("ETag");
      if (!etag) throw new ApiError(0, "NO_ETAG", "Storage did not expose the part's ETag (check its CORS settings)");
      parts.push({ partNumber, etag });
    }
  };
  await Promise.all([worker(), worker()]);
  parts.sort((a, b) => a.partNumber - b.partNumber);
  return api("post /api/v1/videos/{id}/upload-complete", {
    path: { id: video.id },
    body: { uploadId: multipart.uploadId, parts },
  });
}
