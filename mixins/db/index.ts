/**
 * DbMixin: the one way a service owns data. It opens the right backend from
 * config (PostgreSQL, embedded PGlite, MongoDB for document entities), runs
 * the service's migrations, and gives the service:
 *   this.adapter  moleculer-db adapter of the primary entity (no generated CRUD actions)
 *   this.stores   an EntityStore per entity
 *   this.db       transactions, raw SQL, ping
 */
import type { Service, ServiceSchema } from "moleculer";
import DbService from "moleculer-db";
import { getConfig } from "../../lib/config";
import type { BaseDocument, DbMixinOptions, EntityDefinition } from "./entity";
import { validateDefinition } from "./entity";
import type { EntityStore } from "./entity-store";
import { migrate } from "./migrator";
import { acquireMongo, type MongoLease } from "./mongo-connection";
import { MongoEntityStore, mongoModelFor } from "./mongo-entity-store";
import { SharedMongooseAdapter, SharedSequelizeAdapter } from "./primary-adapter";
import { acquireSql, type SqlLease } from "./sql-connection";
import { SqlDb, type DbHandle } from "./sql-db";
import { SqlEntityStore } from "./sql-entity-store";

export * from "./entity";
export * from "./entity-store";
export type { DbHandle } from "./sql-db";
export { MigrationError } from "./migrator";

/** Typed stores: `Stores<{ profiles: Profile; follows: Follow }>`. */
export type Stores<M extends Record<string, BaseDocument> = Record<string, BaseDocument>> = {
  [K in keyof M]: EntityStore<M[K]>;
};

/** What DbMixin adds to a service's `this`; pass the entity map for typed stores. */
export interface DbMixinThis<M extends Record<string, BaseDocument> = Record<string, BaseDocument>> {
  adapter: SharedSequelizeAdapter | SharedMongooseAdapter;
  stores: Stores<M>;
  db: DbHandle;
}

/**
 * A method a service may have that DbMixin calls after each write statement
 * (anything but a SELECT, on its stores or through db.query) once it is
 * committed; outside a transaction the write resolves only after it.
 * ReadCacheMixin (mixins/read-cache) provides it to drop cached reads.
 */
interface DbWriteListener {
  onDbWrite?(): Promise<void>;
}

const READ_ONLY = /^\s*select\b/i;
/** Durable-events bookkeeping (outbox, dedupe marks, in-process deliveries): no read of the service shows it. */
const BOOKKEEPING =
  /^\s*(?:insert\s+into|update|delete\s+from)\s+(?:"[^"]*"\.)?(?:outbox|processed_events|consumer_versions|deliveries|dead_letters|consumer_groups)\b/i;

interface DbState {
  sql?: SqlLease;
  mongo?: MongoLease;
}

/** Connections held by each service instance (kept off `this` so services cannot trip over them). */
const states = new WeakMap<Service, DbState>();

/** moleculer-db minus its generated actions and lifecycle (we connect, migrate and fail fast ourselves). */
function dbServiceBase(): Partial<ServiceSchema> {
  const { actions: _actions, started: _started, stopped: _stopped, ...rest } = DbService as unknown as ServiceSchema;
  return rest;
}

export function DbMixin(options: DbMixinOptions): Partial<ServiceSchema> {
  validateDefinition(options);
  const primary = options.entities[options.primary];
  const useMongo = (entity: EntityDefinition): boolean => entity.kind === "document" && Boolean(getConfig().mongoUri);

  return {
    mixins: [dbServiceBase() as ServiceSchema],
    settings: { idField: "id" },

    methods: {
      // moleculer-db's connect() is called by its own (removed) started(); keep it harmless if a service calls it.
      async connect(this: Service & DbMixinThis) {
        await this.adapter.connect();
      },
    },

    created(this: Service) {
      const state: DbState = {};
      states.set(this, state);
      const sqlDb = (): SqlDb => {
        if (!state.sql) throw new Error(`DbMixin(${options.schema}): database used before the service started`);
        const { sequelize, searchPathOnConnection, backend } = state.sql;
        return new SqlDb(sequelize, options.schema, searchPathOnConnection, this.logger, backend === "postgres");
      };
      const listener = this as Service & DbWriteListener;
      /** Tells the service about a write once it is committed (see DbWriteListener). */
      const watched = <R>(sql: string, result: Promise<R>): Promise<R> => {
        if (!listener.onDbWrite || READ_ONLY.test(sql) || BOOKKEEPING.test(sql)) return result;
        return result.then(async (rows) => {
          let now: Promise<void> | undefined;
          // Runs at once outside a transaction (awaited below), after the commit inside one.
          db().afterCommit(() => {
            now = listener.onDbWrite?.().catch((err: unknown) => this.logger.warn("onDbWrite failed", err));
          });
          if (now) await now;
          return rows;
        });
      };
      let cachedDb: SqlDb | undefined;
      // Rebuilt when a restarted service got a new connection.
      const db = (): SqlDb => {
        if (!cachedDb || cachedDb.sequelize !== state.sql?.sequelize) cachedDb = sqlDb();
        return cachedDb;
      };
      // `this.db` is usable as soon as started() has opened the connection.
      const handle: DbHandle = {
        schema: options.schema,
        get sequelize() {
          return state.sql?.sequelize;
        },
        // async: a call before start must reject, not throw synchronously.
        transaction: async (fn) => db().transaction(fn),
        ping: async () => db().ping(),
        query: async (sql, bind) => watched(sql, db().query(sql, bind)),
        afterCommit: (fn) => db().afterCommit(fn),
      };
      const mongo = (): MongoLease => {
        if (!state.mongo) throw new Error(`DbMixin(${options.schema}): MongoDB used before the service started`);
        return state.mongo;
      };
      const adapter = useMongo(primary)
        ? new SharedMongooseAdapter(
            () => mongo().connection,
            () => mongoModelFor(mongo().connection, options.schema, primary),
          )
        : new SharedSequelizeAdapter(() => db().sequelize, options.schema, primary);
      // moleculer-db's created() (merged before this one) set a MemoryAdapter; replace it with ours.
      adapter.init(this.broker, this);
      const stores: Stores = {};
      for (const [key, entity] of Object.entries(options.entities)) {
        stores[key] = useMongo(entity)
          ? new MongoEntityStore(() => mongoModelFor(mongo().connection, options.schema, entity), entity)
          : new SqlEntityStore(
              {
                schema: options.schema,
                run: (sql, bind) => watched(sql, db().run(sql, bind)),
                transaction: (fn) => db().transaction(fn),
                currentTransaction: () => db().currentTransaction(),
              },
              entity,
            );
      }
      const additions: DbMixinThis = { db: handle, adapter, stores };
      Object.assign(this, additions);
    },

    async started(this: Service) {
      const config = getConfig();
      const state = states.get(this) as DbState;
      const { adapter } = this as Service & DbMixinThis;
      state.sql = await acquireSql(config, this.name, options.schema);
      try {
        await migrate(
          new SqlDb(state.sql.sequelize, options.schema, state.sql.searchPathOnConnection),
          options.migrations,
          this.logger,
        );
        if (Object.values(options.entities).some(useMongo)) {
          state.mongo = await acquireMongo(config.mongoUri as string);
          for (const entity of Object.values(options.entities).filter(useMongo)) {
            await mongoModelFor(state.mongo.connection, options.schema, entity).createIndexes();
          }
        }
        await adapter.connect();
      } catch (err) {
        await releaseAll(state);
        throw err;
      }
    },

    async stopped(this: Service) {
      const state = states.get(this);
      if (state) await releaseAll(state);
    },
  };
}

async function releaseAll(state: DbState): Promise<void> {
  const { sql, mongo } = state;
  state.sql = undefined;
  state.mongo = undefined;
  await Promise.all([sql?.release(), mongo?.release()]);
}
