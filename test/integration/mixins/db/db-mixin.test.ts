/**
 * The service surface DbMixin gives: no moleculer-db generated CRUD actions
 * (a client must never reach raw queries), a working `this.adapter` for the
 * primary entity without sync(), stores and `this.db`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceBroker } from "moleculer";
import { setConfig } from "../../../../lib/config";
import { DbMixin, type BaseDocument, type DbMixinThis } from "../../../../mixins/db";
import type { Service } from "moleculer";
import { createTempDir, createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { testDbOptions, type DbTestService } from "./db-test-service";

const CRUD = ["find", "list", "get", "create", "update", "remove", "count", "insert"];

let database: TestDatabase;
let broker: ServiceBroker;
let service: DbTestService;

beforeAll(async () => {
  database = await createTestDatabase("arena_dbmixin");
  setConfig(await testConfig({ DATABASE_URL: database.url }));
  broker = new ServiceBroker({ logger: false, namespace: uniqueId("ns") });
  service = broker.createService({
    name: "catalog",
    mixins: [DbMixin(testDbOptions(uniqueId("catalog_").toLowerCase()))],
    actions: {
      /** The service's own action, to show that actions declared by the service are kept. */
      countItems: {
        params: {},
        handler(this: DbTestService) {
          return this.stores.items.count();
        },
      },
    },
  }) as DbTestService;
  await broker.start();
});

afterAll(async () => {
  await broker?.stop();
  await database?.drop();
});

it("registers none of moleculer-db's generated CRUD actions", async () => {
  const names = broker.registry.getActionList({}).map((a: { name: string }) => a.name);
  expect(names).toContain("catalog.countItems");
  for (const action of CRUD) expect(names).not.toContain(`catalog.${action}`);
  expect(Object.keys(service.actions ?? {}).filter((name) => CRUD.includes(name))).toEqual([]);
  await expect(broker.call("catalog.find", { query: {} })).rejects.toMatchObject({ name: "ServiceNotFoundError" });
});

it("gives a moleculer-db adapter on the primary entity's migrated table", async () => {
  await service.stores.items.insert({ name: "via-store" } as never);
  expect(await service.adapter.count({})).toBe(1);
  const rows = (await service.adapter.find({ query: { name: "via-store" } })) as { name: string }[];
  expect(rows.map((row) => row.name)).toEqual(["via-store"]);
  expect(await broker.call("catalog.countItems")).toBe(1);
});

it("a store used before its service started fails with a clear error", async () => {
  const idle = new ServiceBroker({ logger: false, namespace: uniqueId("ns") });
  const early = idle.createService({
    name: "early",
    mixins: [DbMixin(testDbOptions(uniqueId("early_").toLowerCase()))],
  }) as DbTestService;
  await expect(early.stores.items.count()).rejects.toThrow(/used before the service started/);
  await expect(early.db.ping()).rejects.toThrow(/used before the service started/);
});

it("refuses definitions that would produce broken SQL at creation time", () => {
  expect(() => DbMixin({ ...testDbOptions("ok_schema"), schema: 'bad"; drop' })).toThrow(/Invalid schema name/);
  expect(() => DbMixin({ ...testDbOptions("ok_schema"), primary: "nope" })).toThrow(/primary entity/);
  const withImplicit = testDbOptions("ok_schema");
  withImplicit.entities.items.fields.createdAt = { type: "date" };
  expect(() => DbMixin(withImplicit)).toThrow(/implicit/);
});

interface Note extends BaseDocument {
  body: string;
  level: number | null;
  owner: string | null;
}

it("lets column defaults apply and turns constraint violations into 400s, not crashes", async () => {
  const temp = createTempDir("arena-notes-");
  const dir = join(temp.path, "migrations");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "001_notes.sql"),
    `CREATE TABLE notes (
       id text PRIMARY KEY,
       body text NOT NULL DEFAULT 'empty',
       level integer CHECK (level >= 0),
       owner text NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL
     );`,
  );
  const notes = broker.createService({
    name: "notes",
    mixins: [
      DbMixin({
        schema: uniqueId("notes_").toLowerCase(),
        primary: "notes",
        migrations: [{ name: "notes", dir }],
        // `owner` is not marked required here on purpose: the database still refuses NULL.
        entities: {
          notes: {
            table: "notes",
            kind: "relational",
            fields: { body: { type: "text" }, level: { type: "integer" }, owner: { type: "string" } },
          },
        },
      }),
    ],
  }) as Service & DbMixinThis<{ notes: Note }>;
  try {
    await broker.waitForServices("notes");
    const created = await notes.stores.notes.insert({ owner: "u1" } as never);
    expect(created.body).toBe("empty");
    expect(created.level).toBeNull();
    await expect(notes.stores.notes.insert({ owner: "u1", level: -1 } as never)).rejects.toMatchObject({
      code: 400,
      type: "VALIDATION_ERROR",
    });
    await expect(notes.stores.notes.insert({ level: 1 } as never)).rejects.toMatchObject({
      code: 400,
      type: "VALIDATION_ERROR",
    });
    const doc = await notes.stores.notes.findOne({ owner: "u1" });
    await expect(notes.stores.notes.updateById(doc!.id, { level: -5 } as never)).rejects.toMatchObject({ code: 400 });
    expect(await notes.stores.notes.count()).toBe(1);
  } finally {
    await broker.destroyService(notes);
    temp.remove();
  }
});
