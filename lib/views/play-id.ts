/**
 * The play id a player sends with its watch-progress beats. The videos
 * service, which alone decides who may watch a video (canView: private and
 * unready videos only for their owner and admins), issues one with each
 * playback grant; analytics accepts beats only with a play id issued for
 * that video and not expired. So a beat can only come from someone who was
 * allowed to play the video, without a call to videos per beat.
 *
 * `<nonce>.<expires, unix s>.<HMAC-SHA256(secret, video, nonce, expires) base64url, 128 bits>`.
 * Like the signed playback URLs it travels with, a play id stays valid until
 * it expires even if the video turns private meanwhile.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

function signature(videoId: string, nonce: string, expiresAt: number, secret: string): string {
  return createHmac("sha256", secret)
    .update(`play-id\n${videoId}\n${nonce}\n${expiresAt}`)
    .digest("base64url")
    .slice(0, 22);
}

/** A fresh play id for one playback of `videoId`, valid until `expiresAt` (unix seconds). */
export function issuePlayId(videoId: string, expiresAt: number, secret: string): string {
  const nonce = randomBytes(12).toString("base64url");
  return `${nonce}.${expiresAt}.${signature(videoId, nonce, expiresAt, secret)}`;
}

export type PlayIdCheck = "ok" | "invalid" | "expired";

/** Whether `playId` was issued for `videoId` with this secret and is still valid. */
export function verifyPlayId(
  playId: string,
  videoId: string,
  secret: string,
  nowS = Math.floor(Date.now() / 1000),
): PlayIdCheck {
  const [nonce, exp, sig, ...rest] = playId.split(".");
  if (!nonce || !exp || !sig || rest.length > 0 || !/^\d{1,12}$/.test(exp)) return "invalid";
  const expiresAt = Number(exp);
  const expected = Buffer.from(signature(videoId, nonce, expiresAt, secret));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
  return expiresAt < nowS ? "expired" : "ok";
}
