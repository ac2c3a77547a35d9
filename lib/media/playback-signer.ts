import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import type { ArenaConfig } from "../config";
import { signMediaGrant } from "./signed-url";

/**
 * How media objects are handed to players: HMAC grants the delivery service
 * checks (embedded / local storage), or CloudFront signed URLs. Shared by
 * videos (VOD playback) and clips.
 */
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

/** CloudFront when it is configured, else HMAC grants the delivery service checks. */
export function playbackSignerFor(config: ArenaConfig): PlaybackSigner {
  const cf = config.media.cloudfront;
  if (cf.domain && cf.keyPairId && cf.privateKey)
    return { kind: "cloudfront", domain: cf.domain, keyPairId: cf.keyPairId, privateKey: cf.privateKey };
  return { kind: "local", publicUrl: config.publicUrl, secret: config.media.urlSecret };
}
