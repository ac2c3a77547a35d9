/**
 * Reads outside a transaction on PostgreSQL skip Sequelize's query wrapper
 * (SqlDb.directRead): they must answer exactly what Sequelize answered (rows,
 * types, the SQL and binds as it sends them, its errors), and survive killed
 * connections as Sequelize's retry did.
 */
import { Client } from "pg";
import { QueryTypes } from "sequelize";
import { createTestDatabase, PG_ADMIN_URL, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { startDbNode, testDbOptions, type DbTestNode } from "./db-test-service";

jest.setTimeout(30000);

let database: TestDatabase;
let node: DbTestNode;
let admin: Client;
let schema: string;

beforeAll(async () => {
  database = await createTestDatabase("arena_dbdirect");
  schema = uniqueId("dr_").toLowerCase();
  node = await startDbNode(await testConfig({ DATABASE_URL: database.url }), testDbOptions(schema));
  admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await node.items.insert({
    name: "typed",
    viewerCount: 7,
    score: 1.5,
    tags: ["a", "b"],
    meta: { nested: { n: 1 } },
    publishedAt: new Date("2026-01-02T03:04:05.678Z"),
    big: 9007199254740991,
    flag: true,
  } as never);
  await node.items.insert({ name: "nul\u0000named" } as never);
  await node.items.insert({ name: "plain" } as never);
});

afterAll(async () => {
  await node?.broker.stop();
  await admin?.end();
  await database?.drop();
});

/** The same statement through Sequelize, as every read went before. */
const viaSequelize = (sql: string, bind: unknown[]) =>
  node.service.db.sequelize!.query(sql, { bind, type: QueryTypes.SELECT, logging: false });

it("answers the same rows and types as Sequelize", async () => {
  const sql = `SELECT * FROM "${schema}"."items" WHERE "name" = ANY($1::text[]) ORDER BY "name"`;
  const bind = [["typed", "plain", "nul\\0named"]];
  const direct = await node.service.db.query(sql, bind);
  expect(direct).toEqual(await viaSequelize(sql, bind));
  expect(direct.length).toBe(3);
  const typed = (await node.items.findOne({ name: "typed" }))!;
  expect(typed.publishedAt).toEqual(new Date("2026-01-02T03:04:05.678Z"));
  expect(typed).toMatchObject({ viewerCount: 7, score: 1.5, tags: ["a", "b"], big: 9007199254740991, flag: true });
});

it("sends the SQL and binds as Sequelize does: \\0 in a string, $$, a placeholder without a value", async () => {
  // Sequelize stores and binds NUL as the two characters \0 (PostgreSQL text cannot hold NUL).
  const sql = `SELECT "name" FROM "${schema}"."items" WHERE "name" = $1`;
  expect(await node.service.db.query(sql, ["nul\u0000named"])).toEqual([{ name: "nul\\0named" }]);
  const dollars = `SELECT '$$' || $1::text AS v`;
  expect(await node.service.db.query(dollars, ["x"])).toEqual(await viaSequelize(dollars, ["x"]));
  await expect(node.service.db.query(`SELECT $2::text AS v`, ["x"])).rejects.toThrow(/has no value/);
  // Two statements without binds: the rows of both, as Sequelize joins them.
  const two = `SELECT 1 AS n; SELECT 2 AS n`;
  expect(await node.service.db.query(two)).toEqual([{ n: 1 }, { n: 2 }]);
  expect(await node.service.db.query(two)).toEqual(await viaSequelize(two, []));
});

it("fails with Sequelize's errors (a bad value is still a 4xx from the store)", async () => {
  const sql = `SELECT * FROM "${schema}"."items" WHERE "viewer_count" = $1`;
  const direct = await node.service.db.query(sql, ["not a number"]).catch((e: unknown) => e);
  const before = await viaSequelize(sql, ["not a number"]).catch((e: unknown) => e);
  expect((direct as Error).name).toBe("SequelizeDatabaseError");
  expect((direct as Error).name).toBe((before as Error).name);
  expect((direct as { original?: { code?: string } }).original?.code).toBe("22P02");
  await expect(node.items.find({ query: { viewerCount: "x" as never } })).rejects.toMatchObject({ code: 400 });
});

it("retries a read whose connection was killed on a fresh one", async () => {
  await Promise.all(Array.from({ length: 4 }, () => node.items.count()));
  for (let round = 0; round < 3; round++) {
    const { rows } = await admin.query<{ killed: boolean }>(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
      [database.name, "arena-dbtest"],
    );
    expect(rows.some((r) => r.killed)).toBe(true);
    const found = await Promise.all(Array.from({ length: 4 }, () => node.items.findOne({ name: "plain" })));
    expect(found.map((d) => d?.name)).toEqual(["plain", "plain", "plain", "plain"]);
  }
});
