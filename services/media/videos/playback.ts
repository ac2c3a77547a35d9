import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { signMediaGrant } from "../../../lib/media/signed-url";

export interface PlaybackUrls {
  hlsUrl: string;
  thumbnailUrl: string | null;
  expiresAt: string;
}

export interface LocalPlaybackSigner {
  kind: "local";
  /** Base of the delivery service, e.g. http://127.0.0.1:3000 (PUBLIC_URL). */
  publicUrl: string;
  secret: string;
}

export interface CloudFrontPlaybackSigner {
  kind: "cloudfront";
  domain: string;
  keyPairId: string;
  privateKey: string;
}

export type PlaybackSigner = LocalPlaybackSigner | CloudFrontPlaybackSigner;

/**
 * Signed, expiring playback URLs for one video's output tree. Both kinds
 * sign a *prefix* (`/media/vod/<id>/` locally, `https://<cf>/vod/<id>/*` on
 * CloudFront with a custom policy), so the player can fetch the variant
 * playlists and segments the master playlist points to with the same query.
 */
export function signPlayback(
  signer: PlaybackSigner,
  opts: { videoId: string; masterPlaylistKey: string; thumbnailKey: string | null; expiresAt: number },
): PlaybackUrls {
  const prefix = `vod/${opts.videoId}/`;
  const expiresIso = new Date(opts.expiresAt * 1000).toISOString();
  if (signer.kind === "local") {
    const query = signMediaGrant({ prefix: `/media/${prefix}`, expiresAt: opts.expiresAt }, signer.secret);
    const base = signer.publicUrl.replace(/\/$/, "");
    return {
      hlsUrl: `${base}/media/${opts.masterPlaylistKey}?${query}`,
      thumbnailUrl: opts.thumbnailKey ? `${base}/media/${opts.thumbnailKey}?${query}` : null,
      expiresAt: expiresIso,
    };
  }
  const origin = `https://${signer.domain.replace(/^https?:\/\//, "").replace(/\/$/, "")}`;
  const policy = JSON.stringify({
    Statement: [{ Resource: `${origin}/${prefix}*`, Condition: { DateLessThan: { "AWS:EpochTime": opts.expiresAt } } }],
  });
  const sign = (key: string): string =>
    getSignedUrl({ url: `${origin}/${key}`, keyPairId: signer.keyPairId, privateKey: signer.privateKey, policy });
  return {
    hlsUrl: sign(opts.masterPlaylistKey),
    thumbnailUrl: opts.thumbnailKey ? sign(opts.thumbnailKey) : null,
    expiresAt: expiresIso,
  };
}

/**
 * A URL for one object only (the thumbnail in listings): a grant whose prefix
 * is the file itself, so it cannot unlock the video's playlists and segments
 * (watching goes through playback, which counts the view).
 */
export function signSingleObject(signer: PlaybackSigner, key: string, expiresAt: number): string {
  if (signer.kind === "local") {
    const path = `/media/${key}`;
    return `${signer.publicUrl.replace(/\/$/, "")}${path}?${signMediaGrant({ prefix: path, expiresAt }, signer.secret)}`;
  }
  const url = `https://${signer.domain.replace(/^https?:\/\//, "").replace(/\/$/, "")}/${key}`;
  return getSignedUrl({
    url,
    keyPairId: signer.keyPairId,
    privateKey: signer.privateKey,
    dateLessThan: new Date(expiresAt * 1000).toISOString(),
  });
}

/** Expiry rounded up to 5 minutes, so repeated listings produce the same URLs (cacheable). */
export function roundedExpiry(nowMs: number, ttlS: number): number {
  return Math.ceil((nowMs / 1000 + ttlS) / 300) * 300;
}
