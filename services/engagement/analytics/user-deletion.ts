/**
 * user.deleted: analytics stores no user id, only hashes under daily keys.
 * The keys still alive (today's, and yesterday's for late events) can still
 * tie a hash to the account, so its hashes under those keys are deleted:
 * its chatter and viewer memberships disappear (the counts they added to
 * stay: they are no one's). Older hashes have lost their key and belong to
 * nobody. Plays are hashed with the player's random play id as well, never
 * stored, so they cannot be found (nor tied to anyone). Idempotent.
 */
import type { AnalyticsThis } from "./analytics.context";
import { DAY_MS, dayOf } from "./buckets";
import { KEY_GRACE_DAYS } from "./maintenance";

export async function forgetUser(svc: AnalyticsThis, userId: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (let back = 0; back <= KEY_GRACE_DAYS; back++) {
    const day = dayOf(now) - back * DAY_MS;
    // Chatters are hashed from the user id; video viewers from lib/views' viewer key of a signed-in user.
    const members = await Promise.all([userId, `u:${userId}`].map((identity) => svc.viewerKeys.hash(identity, day)));
    const rows = await svc.db.query(
      `DELETE FROM unique_members WHERE bucket >= $1 AND bucket < $2 AND member = ANY($3::bytea[]) RETURNING 1`,
      [new Date(day), new Date(day + DAY_MS), members],
    );
    removed += rows.length;
  }
  return removed;
}
