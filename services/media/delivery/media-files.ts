import { extname, resolve, sep } from "node:path";

/**
 * Which local media files may be served and how: only known media types
 * (an allow-list, so a stray file in the media root is never exposed) and
 * only paths that stay inside the media root after normalization.
 */
export const MEDIA_CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".m3u8": "application/vnd.apple.mpegurl",
  ".ts": "video/mp2t",
  ".m4s": "video/iso.segment",
  ".mp4": "video/mp4",
  ".m4a": "audio/mp4",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".webp": "image/webp",
  ".vtt": "text/vtt",
};

export function contentTypeFor(path: string): string | undefined {
  return MEDIA_CONTENT_TYPES[extname(path).toLowerCase()];
}

/** Segments: safe to cache (immutable names); playlists change every segment while live. */
export function cacheControlFor(path: string, grantExpiresAt: number, nowS: number): string {
  if (path.endsWith(".m3u8")) return "private, max-age=1";
  const remaining = Math.max(0, Math.min(grantExpiresAt - nowS, 3600));
  return `private, max-age=${remaining}`;
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * URL path segments below /media → absolute file path, or null when any
 * segment is odd (dot-dot, hidden files, encoded separators) or the result
 * would leave the root.
 */
export function resolveMediaFile(mediaRoot: string, segments: string[]): string | null {
  if (segments.length === 0 || segments.length > 12) return null;
  for (const s of segments) {
    if (!SEGMENT.test(s) || s.startsWith(".")) return null;
  }
  const root = resolve(mediaRoot);
  const full = resolve(root, ...segments);
  return full.startsWith(root + sep) ? full : null;
}
