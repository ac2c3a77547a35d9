import { getSignedUrl } from "@aws-sdk/cloudfront-signer";
import { signMediaGrant } from "../../../lib/media/signed-url";
import type { PlaybackSigner } from "../../../lib/media/playback-signer";

export {
  roundedExpiry,
  signSingleObject,
  type CloudFrontPlaybackSigner,
  type LocalPlaybackSigner,
  type PlaybackSigner,
} from "../../../lib/media/playback-signer";

export interface PlaybackUrls {
  hlsUrl: string;
  thumbnailUrl: string | null;
  expiresAt: string;
}

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
