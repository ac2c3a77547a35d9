/**
 * Numbered SQL migrations on a real PostgreSQL: order, idempotent re-run,
 * refusal of edited files, all-or-nothing, and two nodes booting at once.
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Sequelize } from "sequelize";
import { ServiceBroker } from "moleculer";
import { setConfig } from "../../../../lib/config";
import { DbMixin, MigrationError, type MigrationSet } from "../../../../mixins/db";
import { migrate } from "../../../../mixins/db/migrator";
import { SqlDb } from "../../../../mixins/db/sql-db";
import {
  createTempDir,
  createTestDatabase,
  testConfig,
  uniqueId,
  type TempDir,
  type TestDatabase,
} from "../../../helpers/infra";

let database: TestDatabase;
let sequelize: Sequelize;
let temp: TempDir;

function migrationSet(name: string, files: Record<string, string>): MigrationSet {
  const dir = join(temp.path, uniqueId(name));
  mkdirSync(dir);
  for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, file), sql);
  return { name, dir };
}

beforeAll(async () => {
  database = await createTestDatabase("arena_migrator");
  sequelize = new Sequelize(database.url, { dialect: "postgres", logging: false, pool: { max: 3 } });
  temp = createTempDir("arena-migrations-");
});

afterAll(async () => {
  await sequelize?.close();
  await database?.drop();
  temp?.remove();
});

async function rows<R>(sql: string): Promise<R[]> {
  return (await sequelize.query(sql, { type: "SELECT" })) as R[];
}

it("applies files in numeric order inside the service schema and records them", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  // 010 depends on 002 and 002 on 001: lexical order of "10" vs "2" would break this.
  const set = migrationSet("core", {
    "010_add_rank.sql": "ALTER TABLE players ADD COLUMN rank integer NOT NULL DEFAULT 0;",
    "001_create_players.sql": "CREATE TABLE players (id text PRIMARY KEY);\nCREATE TABLE audit (note text);",
    "002_seed.sql": "INSERT INTO players (id) VALUES ('p1'); INSERT INTO audit VALUES ('seeded');",
    "README.md": "not a migration",
  });
  const applied = await migrate(new SqlDb(sequelize, schema), [set]);
  expect(applied.map((m) => m.version)).toEqual([1, 2, 10]);
  expect(await rows(`SELECT id, rank FROM "${schema}".players`)).toEqual([{ id: "p1", rank: 0 }]);
  const recorded = await rows<{ set_name: string; version: number; name: string }>(
    `SELECT set_name, version, name FROM "${schema}".arena_migrations ORDER BY version`,
  );
  expect(recorded).toEqual([
    { set_name: "core", version: 1, name: "create_players" },
    { set_name: "core", version: 2, name: "seed" },
    { set_name: "core", version: 10, name: "add_rank" },
  ]);
  // Nothing leaked into public: search_path was local to the migration transaction.
  expect(
    await rows(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'players'`),
  ).toEqual([]);

  // Re-run is a no-op (002 would fail on the duplicate key if it ran again).
  expect(await migrate(new SqlDb(sequelize, schema), [set])).toEqual([]);

  // A new file is applied on the next boot, alone.
  writeFileSync(join(set.dir, "011_more.sql"), "INSERT INTO players (id) VALUES ('p2');");
  expect((await migrate(new SqlDb(sequelize, schema), [set])).map((m) => m.version)).toEqual([11]);
  expect(await rows(`SELECT count(*)::int AS n FROM "${schema}".players`)).toEqual([{ n: 2 }]);
});

it("keeps several sets apart in one schema", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  const service = migrationSet("service", { "001_things.sql": "CREATE TABLE things (id text PRIMARY KEY);" });
  const outbox = migrationSet("outbox", { "001_outbox.sql": "CREATE TABLE outbox (id text PRIMARY KEY);" });
  const applied = await migrate(new SqlDb(sequelize, schema), [service, outbox]);
  expect(applied.map((m) => `${m.setName}/${m.version}`)).toEqual(["service/1", "outbox/1"]);
  expect(await migrate(new SqlDb(sequelize, schema), [service, outbox])).toEqual([]);
});

it("refuses to boot when an applied file changed, and when an applied file is gone", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  const set = migrationSet("core", { "001_create.sql": "CREATE TABLE t (id text);" });
  await migrate(new SqlDb(sequelize, schema), [set]);
  appendFileSync(join(set.dir, "001_create.sql"), "\nALTER TABLE t ADD COLUMN x int;");
  const failure = migrate(new SqlDb(sequelize, schema), [set]);
  await expect(failure).rejects.toBeInstanceOf(MigrationError);
  await expect(migrate(new SqlDb(sequelize, schema), [set])).rejects.toThrow(
    /core\/001_create\.sql changed after it was applied/,
  );

  const other = migrationSet("core", {});
  await expect(migrate(new SqlDb(sequelize, schema), [other])).rejects.toThrow(/was applied but its file is missing/);
});

it("applies nothing when one pending file fails", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  const set = migrationSet("core", {
    "001_ok.sql": "CREATE TABLE fine (id text);",
    "002_broken.sql": "CREATE TABLE broken (id text;",
  });
  await expect(migrate(new SqlDb(sequelize, schema), [set])).rejects.toThrow(/syntax error/);
  expect(await rows(`SELECT 1 FROM information_schema.tables WHERE table_schema = '${schema}'`)).toEqual([]);
});

it("refuses badly named and duplicate-numbered files", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  const badName = migrationSet("core", { "1_create.sql": "SELECT 1;" });
  await expect(migrate(new SqlDb(sequelize, schema), [badName])).rejects.toThrow(/NNN_description\.sql/);
  const duplicate = migrationSet("core", { "001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 1;" });
  await expect(migrate(new SqlDb(sequelize, schema), [duplicate])).rejects.toThrow(/two files with version 1/);
});

it("two brokers booting at once on the same database apply each file once", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  // Not idempotent on purpose: a second run would fail on CREATE TABLE and on the primary key.
  const set = migrationSet("core", {
    "001_create.sql": "CREATE TABLE boots (id text PRIMARY KEY, applied_by text); SELECT pg_sleep(0.3);",
    "002_seed.sql": "INSERT INTO boots (id) VALUES ('only-once');",
  });
  const config = await testConfig({ DATABASE_URL: database.url });
  setConfig(config);
  const options = {
    schema,
    primary: "boots",
    migrations: [set],
    entities: {
      boots: { table: "boots", kind: "relational" as const, fields: { appliedBy: { type: "string" as const } } },
    },
  };
  const brokers = [1, 2].map(
    (n) => new ServiceBroker({ logger: false, nodeID: `boot-${n}`, namespace: uniqueId("ns") }),
  );
  for (const broker of brokers) broker.createService({ name: "boots", mixins: [DbMixin(options)] });
  try {
    await Promise.all(brokers.map((b) => b.start()));
    expect(await rows(`SELECT id FROM "${schema}".boots`)).toEqual([{ id: "only-once" }]);
    expect(await rows(`SELECT count(*)::int AS n FROM "${schema}".arena_migrations`)).toEqual([{ n: 2 }]);
  } finally {
    await Promise.all(brokers.map((b) => b.stop()));
  }
});

it("a broker whose migrations are refused fails to start with the migration error", async () => {
  const schema = uniqueId("mig_").toLowerCase();
  const set = migrationSet("core", {
    "001_create.sql": "CREATE TABLE items (id text PRIMARY KEY, created_at timestamptz, updated_at timestamptz);",
  });
  await migrate(new SqlDb(sequelize, schema), [set]);
  writeFileSync(join(set.dir, "001_create.sql"), "CREATE TABLE items (id uuid PRIMARY KEY);");
  setConfig(await testConfig({ DATABASE_URL: database.url }));
  const broker = new ServiceBroker({ logger: false, namespace: uniqueId("ns") });
  broker.createService({
    name: "refused",
    mixins: [
      DbMixin({
        schema,
        primary: "items",
        migrations: [set],
        entities: { items: { table: "items", kind: "relational", fields: {} } },
      }),
    ],
  });
  try {
    await expect(broker.start()).rejects.toThrow(/changed after it was applied/);
  } finally {
    await broker.stop().catch(() => undefined);
  }
});
