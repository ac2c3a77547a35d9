import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Stream keys are shown once and stored only as a SHA-256 hash: a key is 256
 * random bits, so a fast hash is enough (no dictionary to attack) and lets
 * ingest find the channel by hash with an index. The prefix makes a leaked
 * key recognisable to secret scanners.
 */
export const STREAM_KEY_PREFIX = "live_";

export function generateStreamKey(): string {
  return STREAM_KEY_PREFIX + randomBytes(32).toString("base64url");
}

export function hashStreamKey(streamKey: string): string {
  return createHash("sha256").update(streamKey, "utf8").digest("hex");
}

/** Constant-time check of a presented key against a stored hash. */
export function streamKeyMatches(streamKey: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(hashStreamKey(streamKey), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

export function looksLikeStreamKey(value: string): boolean {
  return value.startsWith(STREAM_KEY_PREFIX) && value.length >= STREAM_KEY_PREFIX.length + 43 && value.length <= 128;
}
