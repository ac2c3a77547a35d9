/**
 * SQL of the transactional outbox and of the processed-events dedupe table.
 * Works with any database handle whose `query` joins the caller's current
 * transaction (DbMixin's `this.db` does, through CLS), so writing the outbox
 * row inside `this.db.transaction(...)` makes it part of that transaction.
 */
import { join } from "node:path";
import type { MigrationSet } from "../db/entity";
import type { DurableEnvelope } from "./catalog";

export type { MigrationSet } from "../db/entity";

export const DURABLE_EVENTS_MIGRATIONS: MigrationSet = { name: "durable-events", dir: join(__dirname, "migrations") };

/** The slice of DbMixin's `this.db` (DbHandle) durable events need. */
export interface OutboxDb {
  schema: string;
  query<R = Record<string, unknown>>(sql: string, bind?: unknown[]): Promise<R[]>;
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

export function isOutboxDb(value: unknown): value is OutboxDb {
  if (!value || typeof value !== "object") return false;
  const db = value as Partial<OutboxDb>;
  return typeof db.query === "function" && typeof db.transaction === "function" && typeof db.schema === "string";
}

function table(db: OutboxDb, name: "outbox" | "processed_events" | "consumer_versions"): string {
  return `"${db.schema.replace(/"/g, '""')}".${name}`;
}

export async function insertOutbox(db: OutboxDb, envelope: DurableEnvelope): Promise<void> {
  if (envelope.key === undefined) return insertRow(db, envelope);
  // A keyed event's version is its outbox seq. Holding a per-key lock from
  // before the seq is drawn until commit makes seq order the commit order of
  // the key's transactions (two-int form: its own space, apart from the
  // migrator's single-bigint locks).
  const key = envelope.key;
  await db.transaction(async () => {
    await db.query("SELECT pg_advisory_xact_lock(hashtext('arena_outbox_key'), hashtext($1))", [`${db.schema}:${key}`]);
    await insertRow(db, envelope);
  });
}

async function insertRow(db: OutboxDb, envelope: DurableEnvelope): Promise<void> {
  try {
    await db.query(`INSERT INTO ${table(db, "outbox")} (id, type, envelope) VALUES ($1, $2, $3::jsonb)`, [
      envelope.id,
      envelope.type,
      JSON.stringify(envelope),
    ]);
  } catch (err) {
    // The usual setup mistake; say how to fix it instead of "relation does not exist".
    if (err instanceof Error && /outbox" does not exist|relation .*outbox.* does not exist/.test(err.message)) {
      throw new Error(
        `No outbox table in schema "${db.schema}": add DURABLE_EVENTS_MIGRATIONS to the service's DbMixin migrations`,
      );
    }
    throw err;
  }
}

export interface OutboxRow {
  id: string;
  envelope: DurableEnvelope;
}

function toRow(r: { id: string; seq: string | number; envelope: DurableEnvelope | string }): OutboxRow {
  const envelope = typeof r.envelope === "string" ? (JSON.parse(r.envelope) as DurableEnvelope) : r.envelope;
  // The version of a keyed event is its seq (see insertOutbox).
  if (envelope.key !== undefined) envelope.version = Number(r.seq);
  return { id: r.id, envelope };
}

/**
 * Oldest unpublished rows, locked so that several nodes of one service
 * relaying at once never publish the same row twice (SKIP LOCKED: each takes
 * different rows instead of waiting). Must run inside a transaction.
 */
export async function lockUnpublished(db: OutboxDb, limit: number): Promise<OutboxRow[]> {
  const rows = await db.query<{ id: string; seq: string; envelope: DurableEnvelope | string }>(
    `SELECT id, seq, envelope FROM ${table(db, "outbox")} WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map(toRow);
}

export async function markPublished(db: OutboxDb, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE ${table(db, "outbox")} SET published_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

export async function markFailed(db: OutboxDb, id: string, error: string): Promise<void> {
  await db.query(`UPDATE ${table(db, "outbox")} SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
    id,
    error.slice(0, 1000),
  ]);
}

/**
 * Published rows and processed marks are kept as long as the brokers keep
 * messages (a redelivery can only come within that window), then dropped so
 * the tables stay small.
 */
export async function pruneOld(db: OutboxDb, olderThanMs: number): Promise<void> {
  const cutoff = [String(olderThanMs)];
  await db.query(
    `DELETE FROM ${table(db, "outbox")} WHERE published_at IS NOT NULL AND published_at < now() - ($1::text || ' milliseconds')::interval`,
    cutoff,
  );
  await db.query(
    `DELETE FROM ${table(db, "processed_events")} WHERE processed_at < now() - ($1::text || ' milliseconds')::interval`,
    cutoff,
  );
  // Past the brokers' retention no older event of a key can still arrive.
  await db.query(
    `DELETE FROM ${table(db, "consumer_versions")} WHERE updated_at < now() - ($1::text || ' milliseconds')::interval`,
    cutoff,
  );
}

/**
 * Records that `group` handled `eventId`. False when it already had: the
 * caller then skips the handler. A concurrent duplicate blocks on the
 * primary key until the first transaction ends, so it never runs twice.
 */
export async function recordProcessed(db: OutboxDb, group: string, eventId: string): Promise<boolean> {
  const rows = await db.query<{ event_id: string }>(
    `INSERT INTO ${table(db, "processed_events")} (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
    [group, eventId],
  );
  return rows.length === 1;
}

/** recordProcessed for many events at once: the ids not handled before (now marked). */
export async function recordProcessedMany(db: OutboxDb, group: string, eventIds: string[]): Promise<Set<string>> {
  const rows = await db.query<{ event_id: string }>(
    `INSERT INTO ${table(db, "processed_events")} (consumer_group, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [group, eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}

export interface VersionSlot {
  group: string;
  scope: string;
  producer: string;
  key: string;
}

/**
 * Moves a key's applied version forward to `version` if it is newer. False
 * when the stored version is the same or newer: the event is superseded and
 * must not be applied. The row lock makes concurrent deliveries of one key
 * wait and then see the winner's version.
 */
export async function advanceVersion(db: OutboxDb, slot: VersionSlot, version: number): Promise<boolean> {
  const rows = await db.query<{ version: string }>(
    `INSERT INTO ${table(db, "consumer_versions")} AS v (consumer_group, scope, producer, order_key, version)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (consumer_group, scope, producer, order_key)
     DO UPDATE SET version = EXCLUDED.version, updated_at = now() WHERE v.version < EXCLUDED.version
     RETURNING v.version`,
    [slot.group, slot.scope, slot.producer, slot.key, version],
  );
  return rows.length === 1;
}
