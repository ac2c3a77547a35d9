/**
 * A small DbMixin service and broker factory shared by the data-layer tests.
 */
import { join } from "node:path";
import { ServiceBroker, type Service } from "moleculer";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import {
  DbMixin,
  type BaseDocument,
  type DbMixinOptions,
  type DbMixinThis,
  type EntityStore,
  type MigrationSet,
} from "../../../../mixins/db";
import { createTestDatabase, MONGO_URI, testConfig, uniqueId } from "../../../helpers/infra";

export interface Item extends BaseDocument {
  name: string;
  status: string | null;
  viewerCount: number;
  score: number | null;
  tags: string[] | null;
  meta: Record<string, unknown> | null;
  publishedAt: Date | null;
  big: number | null;
  flag: boolean | null;
}

export interface LogEntry extends BaseDocument {
  itemId: string;
  message: string;
}

export const FIXTURE_MIGRATIONS: MigrationSet = { name: "test", dir: join(__dirname, "fixtures", "migrations") };

export function testDbOptions(schema: string, migrations: MigrationSet[] = [FIXTURE_MIGRATIONS]): DbMixinOptions {
  return {
    schema,
    primary: "items",
    migrations,
    entities: {
      items: {
        table: "items",
        kind: "document",
        fields: {
          name: { type: "string", required: true },
          status: { type: "string", default: "new" },
          viewerCount: { type: "integer", default: 0 },
          score: { type: "float" },
          tags: { type: "json" },
          meta: { type: "json" },
          publishedAt: { type: "date" },
          big: { type: "bigint" },
          flag: { type: "boolean" },
        },
        indexes: [{ fields: { name: 1 }, unique: true }],
      },
      logs: {
        table: "logs",
        kind: "relational",
        fields: { itemId: { type: "string", required: true }, message: { type: "text", required: true } },
      },
    },
  };
}

export type DbTestService = Service & DbMixinThis<{ items: Item; logs: LogEntry }>;

export interface DbTestNode {
  broker: ServiceBroker;
  service: DbTestService;
  items: EntityStore<Item>;
  logs: EntityStore<LogEntry>;
}

/** Starts a broker with one DbMixin service named `serviceName`. */
export async function startDbNode(
  config: ArenaConfig,
  options: DbMixinOptions,
  serviceName = "dbtest",
): Promise<DbTestNode> {
  setConfig(config);
  const broker = new ServiceBroker({ logger: false, namespace: config.namespace });
  const service = broker.createService({ name: serviceName, mixins: [DbMixin(options)] }) as DbTestService;
  await broker.start();
  return {
    broker,
    service,
    items: service.stores.items,
    logs: service.stores.logs,
  };
}

/** A backend the data-layer specs run against: a config for it, and what removes it afterwards. */
export interface DbBackend {
  name: string;
  setup(): Promise<{ config: ArenaConfig; cleanup(): Promise<void> }>;
}

/** Why the MongoDB backend is absent from a run: printed as a skipped case so a reader of the output sees it. */
export const MONGO_SKIP_REASON = MONGO_URI
  ? undefined
  : "skipped: MONGO_URI is unset (set MONGO_URI=mongodb://host:27017/arena to run this contract against MongoDB)";

/**
 * PostgreSQL (a fresh `<databasePrefix>_…` database) and embedded PGlite;
 * with `mongo`, MongoDB too when MONGO_URI is set.
 */
export function dbBackends(databasePrefix: string, opts: { mongo?: boolean } = {}): DbBackend[] {
  const withPostgres = async (extra: Record<string, string> = {}) => {
    const db = await createTestDatabase(databasePrefix);
    return { config: await testConfig({ DATABASE_URL: db.url, ...extra }), cleanup: () => db.drop() };
  };
  const backends: DbBackend[] = [
    { name: "postgres", setup: () => withPostgres() },
    { name: "pglite", setup: async () => ({ config: await testConfig(), cleanup: async () => undefined }) },
  ];
  if (opts.mongo && MONGO_URI)
    backends.push({ name: "mongodb", setup: () => withPostgres({ MONGO_URI: MONGO_URI as string }) });
  return backends;
}

/** Sets the backend up and starts a node on a fresh schema `<schemaPrefix>…`; stop() stops it and removes the backend's database. */
export async function startBackendNode(
  backend: DbBackend,
  schemaPrefix: string,
): Promise<{ node: DbTestNode; stop(): Promise<void> }> {
  const { config, cleanup } = await backend.setup();
  const node = await startDbNode(config, testDbOptions(uniqueId(schemaPrefix).toLowerCase())).catch(
    async (err: unknown) => {
      await cleanup();
      throw err;
    },
  );
  return {
    node,
    async stop() {
      await node.broker.stop();
      await cleanup();
    },
  };
}
