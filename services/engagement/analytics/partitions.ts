/**
 * Daily range partitions of the raw tables (native PostgreSQL partitioning,
 * on PGlite too). A day's partitions are created ahead of time by the
 * maintenance run (today and the next `aheadDays`), or on demand when a
 * batch holds an event of a day that has none yet (a late event within
 * retention). Retention drops whole partitions: no DELETE, no vacuum debt.
 */
import type { DbHandle } from "../../../mixins/db";
import { DAY_MS, dayOf, dayStamp, parseDayStamp } from "./buckets";

/** The partitioned tables and the column each is partitioned on. */
export const PARTITIONED_TABLES = ["minute_buckets", "unique_members", "video_plays", "ingested_events"] as const;

/** Serializes partition DDL of every analytics node (two nodes creating one day at once). */
const DDL_LOCK = "SELECT pg_advisory_xact_lock(hashtext('arena.analytics.partitions'))";

export interface PartitionPolicy {
  rawRetentionDays: number;
  partitionsAheadDays: number;
}

export class PartitionKeeper {
  /** Days whose partitions this node knows exist. */
  private readonly known = new Set<number>();

  constructor(
    private readonly db: DbHandle,
    private readonly policy: PartitionPolicy,
  ) {}

  /** First UTC day (ms) still kept: `rawRetentionDays` days including today. */
  oldestKeptDay(now: number): number {
    return dayOf(now) - (this.policy.rawRetentionDays - 1) * DAY_MS;
  }

  async ensureDays(days: number[]): Promise<void> {
    const missing = days.map(dayOf).filter((d) => !this.known.has(d));
    if (missing.length === 0) return;
    await this.db.transaction(async () => {
      await this.db.query(DDL_LOCK);
      for (const day of [...new Set(missing)].sort((a, b) => a - b))
        for (const table of PARTITIONED_TABLES)
          await this.db.query(
            `CREATE TABLE IF NOT EXISTS ${table}_${dayStamp(day)} PARTITION OF ${table}
             FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
          );
    });
    for (const day of missing) this.known.add(day);
  }

  /** The days that have partitions, per table (from the catalog). */
  async listDays(): Promise<Map<string, number[]>> {
    const rows = await this.db.query<{ parent: string; child: string }>(
      `SELECT p.relname AS parent, c.relname AS child
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
       WHERE n.nspname = $1 AND p.relname = ANY($2::text[])`,
      [this.db.schema, [...PARTITIONED_TABLES]],
    );
    const out = new Map<string, number[]>();
    for (const { parent, child } of rows) {
      const day = parseDayStamp(child.slice(parent.length + 1));
      if (day !== null)
        out.set(
          parent,
          [...(out.get(parent) ?? []), day].sort((a, b) => a - b),
        );
    }
    return out;
  }

  /**
   * Creates today's and the next days' partitions and drops those older than
   * retention. Returns the days dropped.
   */
  async maintain(now = Date.now()): Promise<number[]> {
    const today = dayOf(now);
    const ahead = Array.from({ length: this.policy.partitionsAheadDays + 1 }, (_, i) => today + i * DAY_MS);
    await this.ensureDays(ahead);
    const oldest = this.oldestKeptDay(now);
    const dropped = new Set<number>();
    const existing = await this.listDays();
    await this.db.transaction(async () => {
      await this.db.query(DDL_LOCK);
      for (const [table, days] of existing)
        for (const day of days.filter((d) => d < oldest)) {
          await this.db.query(`DROP TABLE IF EXISTS ${table}_${dayStamp(day)}`);
          dropped.add(day);
        }
    });
    for (const day of dropped) this.known.delete(day);
    return [...dropped].sort((a, b) => a - b);
  }
}
