import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * HMAC-signed, expiring media URLs for embedded mode (production uses
 * CloudFront signed URLs). The signature covers the path prefix a grant is
 * for, so one signature can unlock a whole HLS rendition tree
 * (`/media/live/<id>/`) without signing every segment: players fetch
 * segments relative to the playlist and carry the query string along only
 * if we rewrite playlists, so the prefix grant is what keeps HLS playable.
 */
export interface MediaGrant {
  /** Path prefix the grant allows, e.g. `/media/vod/abc/`. Must start with `/media/`. */
  prefix: string;
  /** Unix seconds. */
  expiresAt: number;
}

function signature(grant: MediaGrant, secret: string): string {
  return createHmac("sha256", secret).update(`${grant.prefix}\n${grant.expiresAt}`).digest("base64url");
}

/** Query string to append to any URL under the prefix. */
export function signMediaGrant(grant: MediaGrant, secret: string): string {
  const params = new URLSearchParams({ p: grant.prefix, exp: String(grant.expiresAt), sig: signature(grant, secret) });
  return params.toString();
}

export type MediaGrantCheck =
  { ok: true } | { ok: false; reason: "missing" | "expired" | "bad-signature" | "wrong-path" };

/** Checks that `path` is covered by a valid, unexpired grant from the query. */
export function verifyMediaGrant(
  path: string,
  query: Record<string, string | undefined>,
  secret: string,
  nowS = Math.floor(Date.now() / 1000),
): MediaGrantCheck {
  const { p: prefix, exp, sig } = query;
  if (!prefix || !exp || !sig) return { ok: false, reason: "missing" };
  const expiresAt = Number(exp);
  if (!Number.isInteger(expiresAt)) return { ok: false, reason: "missing" };
  const expected = Buffer.from(signature({ prefix, expiresAt }, secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: "bad-signature" };
  if (expiresAt < nowS) return { ok: false, reason: "expired" };
  // A prefix grant never reaches outside its folder: no `..`, must be under it.
  if (path.includes("..") || !path.startsWith(prefix) || !prefix.startsWith("/media/"))
    return { ok: false, reason: "wrong-path" };
  return { ok: true };
}
