/**
 * Where the in-process adapter keeps its queues so that embedded mode is as
 * durable as a broker: a delivery row per (event, consumer group) from
 * publish until the group has handled it, redelivered at boot. The memory
 * store is for brokers without any database (unit tests, DB-less nodes).
 *
 * On the embedded database (one shared connection) a publish made by an
 * outbox relay joins the relay's transaction: the delivery rows and the
 * "published" mark commit together, and the messages are queued in memory
 * only once that commit happened.
 */
import { join } from "node:path";
import type { MigrationSet } from "../db/entity";
import type { SqlDb } from "../db/sql-db";

export const DELIVERY_STORE_SCHEMA = "arena_events";
export const DELIVERY_MIGRATIONS: MigrationSet = {
  name: "durable-events-in-process",
  dir: join(__dirname, "in-process-migrations"),
};

export interface StoredDelivery {
  seq: number;
  data: Buffer;
  headers: Record<string, string>;
  failures: number;
}

export interface ForeignDelivery extends StoredDelivery {
  channel: string;
  group: string;
}

export interface AppendedDelivery {
  group: string;
  seq: number;
}

export interface StoredDeadLetter {
  seq: number;
  channel: string;
  data: Buffer;
  headers: Record<string, string>;
}

export interface DeliveryStore {
  addGroup(channel: string, group: string): Promise<void>;
  pending(channel: string, group: string): Promise<StoredDelivery[]>;
  /** Deliveries with a seq above `after`, oldest first (rows another process added, e.g. an operator's replay). */
  pendingAfter(after: number, limit: number): Promise<ForeignDelivery[]>;
  /**
   * One delivery per known group of the channel; `onDurable` runs once they
   * are committed (after the caller's transaction, if the publish joined one).
   */
  append(
    channel: string,
    data: Buffer,
    headers: Record<string, string>,
    onDurable: (rows: AppendedDelivery[]) => void,
  ): Promise<void>;
  ack(seq: number): Promise<void>;
  fail(seq: number, error: string): Promise<void>;
  addDeadLetter(channel: string, data: Buffer, headers: Record<string, string>): Promise<void>;
  deadLetters(channel: string, limit: number): Promise<StoredDeadLetter[]>;
  deadLetterChannels(prefix: string): Promise<Array<{ channel: string; count: number }>>;
  countDeadLetters(channel: string): Promise<number>;
  removeDeadLetters(seqs: number[]): Promise<number>;
}

type Row = Record<string, unknown>;

const headersOf = (value: unknown): Record<string, string> =>
  (typeof value === "string" ? JSON.parse(value) : (value ?? {})) as Record<string, string>;

export class SqlDeliveryStore implements DeliveryStore {
  private readonly t: (name: string) => string;

  constructor(private readonly db: SqlDb) {
    this.t = (name) => `"${db.schema}".${name}`;
  }

  async addGroup(channel: string, group: string): Promise<void> {
    await this.db.run(
      `INSERT INTO ${this.t("consumer_groups")} (channel, group_name) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [channel, group],
    );
  }

  async pending(channel: string, group: string): Promise<StoredDelivery[]> {
    const rows = await this.db.run<Row>(
      `SELECT seq, data, headers, failures FROM ${this.t("deliveries")} WHERE channel = $1 AND group_name = $2 ORDER BY seq`,
      [channel, group],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      data: r.data as Buffer,
      headers: headersOf(r.headers),
      failures: Number(r.failures),
    }));
  }

  async pendingAfter(after: number, limit: number): Promise<ForeignDelivery[]> {
    const rows = await this.db.run<Row>(
      `SELECT seq, channel, group_name, data, headers, failures FROM ${this.t("deliveries")} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      channel: String(r.channel),
      group: String(r.group_name),
      data: r.data as Buffer,
      headers: headersOf(r.headers),
      failures: Number(r.failures),
    }));
  }

  async append(
    channel: string,
    data: Buffer,
    headers: Record<string, string>,
    onDurable: (rows: AppendedDelivery[]) => void,
  ): Promise<void> {
    const rows = await this.db.run<Row>(
      `INSERT INTO ${this.t("deliveries")} (channel, group_name, data, headers)
       SELECT $1, group_name, $2, $3::jsonb FROM ${this.t("consumer_groups")} WHERE channel = $1
       RETURNING seq, group_name`,
      [channel, data, JSON.stringify(headers)],
    );
    const appended = rows.map((r) => ({ group: String(r.group_name), seq: Number(r.seq) }));
    this.db.afterCommit(() => onDurable(appended));
  }

  async ack(seq: number): Promise<void> {
    await this.db.run(`DELETE FROM ${this.t("deliveries")} WHERE seq = $1`, [seq]);
  }

  async fail(seq: number, error: string): Promise<void> {
    await this.db.run(`UPDATE ${this.t("deliveries")} SET failures = failures + 1, last_error = $2 WHERE seq = $1`, [
      seq,
      error.slice(0, 1000),
    ]);
  }

  async addDeadLetter(channel: string, data: Buffer, headers: Record<string, string>): Promise<void> {
    await this.db.run(`INSERT INTO ${this.t("dead_letters")} (channel, data, headers) VALUES ($1, $2, $3::jsonb)`, [
      channel,
      data,
      JSON.stringify(headers),
    ]);
  }

  async deadLetters(channel: string, limit: number): Promise<StoredDeadLetter[]> {
    const rows = await this.db.run<Row>(
      `SELECT seq, channel, data, headers FROM ${this.t("dead_letters")} WHERE channel = $1 ORDER BY seq LIMIT $2`,
      [channel, limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      channel: String(r.channel),
      data: r.data as Buffer,
      headers: headersOf(r.headers),
    }));
  }

  async deadLetterChannels(prefix: string): Promise<Array<{ channel: string; count: number }>> {
    const rows = await this.db.run<Row>(
      `SELECT channel, count(*) AS n FROM ${this.t("dead_letters")} WHERE starts_with(channel, $1) GROUP BY channel ORDER BY channel`,
      [prefix],
    );
    return rows.map((r) => ({ channel: String(r.channel), count: Number(r.n) }));
  }

  async countDeadLetters(channel: string): Promise<number> {
    const rows = await this.db.run<Row>(`SELECT count(*) AS n FROM ${this.t("dead_letters")} WHERE channel = $1`, [
      channel,
    ]);
    return Number(rows[0]?.n ?? 0);
  }

  async removeDeadLetters(seqs: number[]): Promise<number> {
    if (seqs.length === 0) return 0;
    const rows = await this.db.run<Row>(
      `DELETE FROM ${this.t("dead_letters")} WHERE seq = ANY($1::bigint[]) RETURNING seq`,
      [seqs],
    );
    return rows.length;
  }
}

/** Dead letters of a DB-less in-process broker, so operators' commands work the same (lost on restart, like its queues). */
export class MemoryDeadLetters {
  private seq = 0;
  private readonly letters: StoredDeadLetter[] = [];

  add(channel: string, data: Buffer, headers: Record<string, string>): void {
    this.letters.push({ seq: ++this.seq, channel, data, headers });
  }

  list(channel: string, limit: number): StoredDeadLetter[] {
    return this.letters.filter((l) => l.channel === channel).slice(0, limit);
  }

  channels(prefix: string): Array<{ channel: string; count: number }> {
    const counts = new Map<string, number>();
    for (const l of this.letters)
      if (l.channel.startsWith(prefix)) counts.set(l.channel, (counts.get(l.channel) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([channel, count]) => ({ channel, count }));
  }

  count(channel: string): number {
    return this.letters.filter((l) => l.channel === channel).length;
  }

  remove(seqs: number[]): number {
    let removed = 0;
    for (const seq of seqs) {
      const i = this.letters.findIndex((l) => l.seq === seq);
      if (i >= 0) {
        this.letters.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }
}
