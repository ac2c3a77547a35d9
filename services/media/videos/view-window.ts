import { createHash } from "node:crypto";

/**
 * Who a view belongs to for de-duplication: the signed-in user, or for
 * anonymous viewers a hash of their address (never stored in clear).
 * Returns null when neither is known: such a view cannot be de-duplicated
 * and is not counted.
 */
export function viewerKey(viewer: { userId?: string; clientIp?: string }, salt: string): string | null {
  if (viewer.userId) return `u:${viewer.userId}`;
  if (viewer.clientIp)
    return `ip:${createHash("sha256").update(`${salt}\n${viewer.clientIp}`).digest("base64url").slice(0, 22)}`;
  return null;
}

/** Id of the view record for one viewer of one video (also what makes the first insert atomic). */
export function viewRecordId(videoId: string, key: string): string {
  return `${videoId}|${key}`;
}

/** A repeated view counts again only once the window since the last counted one has passed. */
export function countsAgain(lastCountedAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - lastCountedAt.getTime() >= windowMs;
}

/** Latest counted time that still blocks a new count (store condition: lastCountedAt <= this). */
export function windowCutoff(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}
