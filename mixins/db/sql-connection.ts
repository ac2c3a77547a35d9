/**
 * Which Sequelize a service gets: its own pool on PostgreSQL (pool max from
 * config), or the shared embedded PGlite when no DATABASE_URL is set.
 */
import { Sequelize } from "sequelize";
import type { ArenaConfig } from "../../lib/config";
import { acquireEmbeddedPostgres } from "./embedded-postgres";
import { RETRYABLE_CONNECTION_ERRORS } from "./sql-db";
import { assertIdentifier } from "./entity";
import { guardedPg } from "./guarded-pg";

export interface SqlLease {
  sequelize: Sequelize;
  backend: "postgres" | "pglite";
  /** The service's schema is first on every connection's search_path (own pool only). */
  searchPathOnConnection: boolean;
  release(): Promise<void>;
}

export async function acquireSql(config: ArenaConfig, serviceName: string, schema: string): Promise<SqlLease> {
  if (!config.database.url) {
    const lease = await acquireEmbeddedPostgres(config.dataDir);
    return {
      sequelize: lease.sequelize,
      backend: "pglite",
      searchPathOnConnection: false,
      release: () => lease.release(),
    };
  }
  assertIdentifier("schema", schema);
  const sequelize = new Sequelize(config.database.url, {
    dialect: "postgres",
    // Clients that never emit an unhandled `error` (see guarded-pg.ts).
    dialectModule: guardedPg,
    logging: false,
    // evict/idle drop connections the server killed; validate (sequelize's
    // `_invalid` flag, set on the pg client's error event) keeps them out of use.
    pool: { max: config.database.poolMax, min: 0, idle: 10000, acquire: 30000, evict: 1000 },
    // A killed backend or a dropped connection: statements outside a transaction
    // are retried on a fresh connection instead of failing the caller. A server
    // that refuses connections is not retried here: the db gate answers 503 at
    // once while it is down (db-gate.ts).
    retry: { max: 8, match: RETRYABLE_CONNECTION_ERRORS, backoffBase: 100, backoffExponent: 1.5 },
    // The pool is this service's alone, so its schema can lead search_path on
    // every connection: raw queries then need no per-statement SET LOCAL.
    dialectOptions: {
      application_name: `arena-${serviceName}`.slice(0, 63),
      // A host that does not answer at all must not hold a request for the OS's TCP timeout.
      connectionTimeoutMillis: 2000,
      options: `-c search_path=${schema},public`,
    },
    define: { underscored: true },
  });
  return { sequelize, backend: "postgres", searchPathOnConnection: true, release: () => sequelize.close() };
}
