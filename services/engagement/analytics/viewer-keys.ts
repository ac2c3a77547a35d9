/**
 * Anonymous identity for unique counts. A member (chatter, viewer, play) is
 * HMAC-SHA256(key of the UTC day, identity), cut to 16 bytes. Each day's key
 * is 32 random bytes in `daily_keys`, shared by every analytics node, and is
 * deleted once the day is over (plus a grace for late events): from then on
 * nothing, not even the database's owner with every secret, can tell whose
 * hash a row holds. The cost is stated in docs/analytics.md: uniques exist
 * per day (and per minute and hour inside it), never across days.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { DbHandle } from "../../../mixins/db";
import { DAY_MS, dayOf } from "./buckets";

export class ViewerKeys {
  private readonly cache = new Map<number, Promise<Buffer>>();

  constructor(private readonly db: DbHandle) {}

  /** The key of the UTC day containing `at` (created by the first node that needs it). */
  keyFor(at: number): Promise<Buffer> {
    const day = dayOf(at);
    let key = this.cache.get(day);
    if (!key) {
      key = this.load(day);
      key.catch(() => this.cache.delete(day));
      this.cache.set(day, key);
      for (const old of this.cache.keys()) if (old < day - 2 * DAY_MS) this.cache.delete(old);
    }
    return key;
  }

  /** HMAC of `identity` with the day's key: equal within a day, unrelated across days. */
  async hash(identity: string, at: number): Promise<Buffer> {
    return memberHash(await this.keyFor(at), identity);
  }

  /** Deletes the keys of days before `keepFrom` (ms); returns how many went. */
  async forgetBefore(keepFrom: number): Promise<number> {
    for (const day of this.cache.keys()) if (day < keepFrom) this.cache.delete(day);
    const rows = await this.db.query<{ day: Date }>("DELETE FROM daily_keys WHERE day < $1 RETURNING day", [
      new Date(keepFrom),
    ]);
    return rows.length;
  }

  private async load(day: number): Promise<Buffer> {
    const at = new Date(day);
    await this.db.query("INSERT INTO daily_keys (day, key) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING", [
      at,
      randomBytes(32),
    ]);
    const rows = await this.db.query<{ key: Buffer }>("SELECT key FROM daily_keys WHERE day = $1", [at]);
    const key = rows[0]?.key;
    if (!key) throw new Error(`No viewer key for ${at.toISOString()}`);
    return key;
  }
}

export function memberHash(key: Buffer, identity: string): Buffer {
  return createHmac("sha256", key).update(identity).digest().subarray(0, 16);
}
