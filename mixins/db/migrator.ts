/**
 * Applies numbered SQL migrations at boot, never `sync()`.
 *
 * All pending files of all sets run in ONE transaction: a failing file leaves
 * the schema as it was. `pg_advisory_xact_lock` on the schema name makes two
 * nodes booting at once apply each file once: the second waits, then sees
 * the first one's records. `SET LOCAL search_path` (done by SqlDb.transaction)
 * lets the SQL say `CREATE TABLE profiles` without a schema prefix.
 */
import { QueryTypes } from "sequelize";
import type { MigrationSet } from "./entity";
import { planMigrations, readMigrationSet, type AppliedRecord, type MigrationFile } from "./migration-files";
import { quoteIdent } from "./sql-query";
import type { SqlDb } from "./sql-db";

export { MigrationError } from "./migration-files";

export interface MigrationLogger {
  info(...args: unknown[]): void;
}

export async function migrate(db: SqlDb, sets: MigrationSet[], logger?: MigrationLogger): Promise<MigrationFile[]> {
  const files = sets.flatMap((set) => readMigrationSet(set));
  const schema = quoteIdent(db.schema);
  return db.transaction(async () => {
    await db.run("SELECT pg_advisory_xact_lock(hashtext($1))", [`arena_migrations:${db.schema}`]);
    await exec(db, `CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await exec(
      db,
      `CREATE TABLE IF NOT EXISTS ${schema}.arena_migrations (
        set_name text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (set_name, version)
      )`,
    );
    const setNames = sets.map((s) => s.name);
    const applied = await db.run<AppliedRecord>(
      `SELECT set_name AS "setName", version, name, checksum FROM ${schema}.arena_migrations WHERE set_name = ANY($1::text[])`,
      [setNames],
    );
    const pending = planMigrations(files, applied);
    for (const file of pending) {
      logger?.info(`Applying migration ${db.schema}: ${file.setName}/${file.version}_${file.name}`);
      // No bind parameters: the simple query protocol runs multi-statement files.
      await exec(db, file.sql);
      await db.run(
        `INSERT INTO ${schema}.arena_migrations (set_name, version, name, checksum) VALUES ($1, $2, $3, $4)`,
        [file.setName, file.version, file.name, file.checksum],
      );
    }
    return pending;
  });
}

async function exec(db: SqlDb, sql: string): Promise<void> {
  await db.sequelize.query(sql, { type: QueryTypes.RAW, transaction: db.currentTransaction() ?? null, logging: false });
}
