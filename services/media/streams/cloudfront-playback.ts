/**
 * Signed CloudFront playback of a live session: one custom policy on the
 * session's folder, given as a signed URL of the master playlist and as
 * cookies for the playlists and segments under it (a player drops the URL's
 * query on relative URIs). Pure functions of the signing options and a time.
 */
import { getSignedCookies, getSignedUrl } from "@aws-sdk/cloudfront-signer";
import type { AwsProviderOptions } from "./aws-provider-options";
import type { PlaybackCookies } from "./media-provider";

/** The distribution, the key pair that signs for it, and how long a grant lasts. */
export type PlaybackSigning = Pick<AwsProviderOptions, "cloudfront" | "urlTtlS">;

export function signedPlaybackUrl(signing: PlaybackSigning, sessionId: string, nowS: number): string {
  const { keyPairId, privateKey } = signing.cloudfront;
  const { base, policy } = sessionPolicy(signing, sessionId, nowS);
  return getSignedUrl({ url: `${base}master.m3u8`, keyPairId, privateKey, policy });
}

/** The same custom policy as the URL, as cookies scoped to the session's folder (relative segment URIs carry no query). */
export function signedPlaybackCookies(signing: PlaybackSigning, sessionId: string, nowS: number): PlaybackCookies {
  const { domain, keyPairId, privateKey } = signing.cloudfront;
  const { policy, expiresAtS } = sessionPolicy(signing, sessionId, nowS);
  const signed = getSignedCookies({ keyPairId, privateKey, policy });
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed)) if (value !== undefined) values[name] = String(value);
  return { domain, path: `/live/${sessionId}/`, expiresAt: new Date(expiresAtS * 1000).toISOString(), values };
}

/** A custom policy on the session folder: one signature covers every playlist and segment of the session. */
export function sessionPolicy(
  signing: PlaybackSigning,
  sessionId: string,
  nowS: number,
): { base: string; policy: string; expiresAtS: number } {
  const base = `https://${signing.cloudfront.domain}/live/${sessionId}/`;
  const expiresAtS = nowS + signing.urlTtlS;
  const policy = JSON.stringify({
    Statement: [{ Resource: `${base}*`, Condition: { DateLessThan: { "AWS:EpochTime": expiresAtS } } }],
  });
  return { base, policy, expiresAtS };
}
