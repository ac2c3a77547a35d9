import { createHash } from "node:crypto";

/**
 * The one view-counting rule (VOD plays, blog post reads): a viewer's repeat
 * views within a window count once. Services keep their own view records
 * (one row per subject and viewer) and call countView with their store.
 */

/** Default window: a viewer's repeat views within 30 minutes count once. */
export const DEFAULT_VIEW_WINDOW_MS = 30 * 60_000;

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

/** Id of the view record for one viewer of one subject (also what makes the first insert atomic). */
export function viewRecordId(subjectId: string, key: string): string {
  return `${subjectId}|${key}`;
}

/** A repeated view counts again only once the window since the last counted one has passed. */
export function countsAgain(lastCountedAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - lastCountedAt.getTime() >= windowMs;
}

/** Latest counted time that still blocks a new count (store condition: lastCountedAt <= this). */
export function windowCutoff(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}

/** A view record: the subject's own id field is added by the caller's `record` function. */
export interface ViewRecord {
  id: string;
  viewerKey: string;
  lastCountedAt: Date;
}

/**
 * The part of a service's view store (a mixins/db EntityStore) the rule
 * uses, stated here so lib/ stays below mixins/. `N` is what the store
 * inserts (the caller's `record` builds it).
 */
export interface ViewStore<N> {
  insertIfAbsent(doc: N): Promise<boolean>;
  updateMany(query: Record<string, unknown>, patch: { lastCountedAt: Date }): Promise<number>;
  removeMany(query: Record<string, unknown>): Promise<number>;
}

/**
 * Decides atomically in the store whether this view counts: the first view
 * inserts the record, a repeat moves `lastCountedAt` only when the window has
 * passed (a conditional update), so concurrent requests of one viewer count once.
 */
export async function countView<N>(
  views: ViewStore<N>,
  record: (id: string, key: string, now: Date) => N,
  subjectId: string,
  viewer: { userId?: string; clientIp?: string },
  opts: { salt: string; windowMs: number },
  now = new Date(),
): Promise<boolean> {
  const key = viewerKey(viewer, opts.salt);
  if (!key) return false;
  const id = viewRecordId(subjectId, key);
  if (await views.insertIfAbsent(record(id, key, now))) return true;
  const moved = await views.updateMany(
    { id, lastCountedAt: { $lte: windowCutoff(now, opts.windowMs) } },
    { lastCountedAt: now },
  );
  return moved === 1;
}

/**
 * View records only matter inside their window; older ones can be dropped so
 * the table holds recent viewers, not every viewer ever.
 */
export function pruneViews(
  views: Pick<ViewStore<unknown>, "removeMany">,
  windowMs: number,
  now = new Date(),
): Promise<number> {
  return views.removeMany({ lastCountedAt: { $lt: windowCutoff(now, windowMs) } });
}
