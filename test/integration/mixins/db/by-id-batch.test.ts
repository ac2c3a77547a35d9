/**
 * findById outside a transaction coalesces concurrent reads into one
 * statement (mixins/db/by-id-batch.ts) on the real PostgreSQL: every caller
 * gets its own document, unknown ids answer null, and a read inside a
 * transaction still runs on the transaction's connection and sees its writes.
 */
import { SqlDb } from "../../../../mixins/db/sql-db";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { startDbNode, testDbOptions, type DbTestNode, type Item } from "./db-test-service";

jest.setTimeout(30000);

let database: TestDatabase;
let node: DbTestNode;
const ids: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase("arena_dbbatch");
  node = await startDbNode(
    await testConfig({ DATABASE_URL: database.url }),
    testDbOptions(uniqueId("bb_").toLowerCase()),
  );
  for (let i = 0; i < 10; i += 1)
    ids.push((await node.items.insert({ name: `item-${i}`, viewerCount: i, tags: [`t${i}`] } as never)).id);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await node?.broker.stop();
  await database?.drop();
});

function countStatements(): { statements: string[] } {
  const seen = { statements: [] as string[] };
  const run = SqlDb.prototype.run;
  jest.spyOn(SqlDb.prototype, "run").mockImplementation(function (this: SqlDb, sql: string, bind?: unknown[]) {
    seen.statements.push(sql);
    return run.call(this, sql, bind) as never;
  });
  return seen;
}

afterEach(() => jest.restoreAllMocks());

it("answers concurrent reads of many ids (some twice, one unknown) with one statement, a document per caller", async () => {
  const seen = countStatements();
  const asked = [...ids, ...ids, "no-such-id"];
  const docs = await Promise.all(asked.map((id) => node.items.findById(id)));
  expect(seen.statements).toHaveLength(1);
  expect(seen.statements[0]).toMatch(/= ANY\(\$1::text\[\]\)/);
  asked.forEach((id, i) => {
    if (id === "no-such-id") expect(docs[i]).toBeNull();
    else expect(docs[i]).toMatchObject({ id, name: `item-${ids.indexOf(id)}`, viewerCount: ids.indexOf(id) });
  });
  // Two callers of one id never share the document nor anything in it (a caller may change its copy).
  expect(docs[0]).not.toBe(docs[10]);
  expect(docs[0]).toEqual(docs[10]);
  expect(docs[0]?.createdAt).not.toBe(docs[10]?.createdAt);
  expect((docs[0] as Item & { tags: string[] }).tags).not.toBe((docs[10] as Item & { tags: string[] }).tags);
});

it("reads one id alone with the single-row statement, as before", async () => {
  const seen = countStatements();
  expect((await node.items.findById(ids[3] as string))?.name).toBe("item-3");
  expect(seen.statements).toEqual([expect.stringMatching(/WHERE "id" = \$1$/)]);
});

it("reads inside a transaction on its connection, seeing its own uncommitted write; a read outside never joins it", async () => {
  let created!: (id: string) => void;
  const createdId = new Promise<string>((resolve) => (created = resolve));
  const tx = node.service.db
    .transaction(async () => {
      const row = (await node.items.insert({ name: "in-tx" } as never)) as Item;
      created(row.id);
      // Issued in the same tick as the read outside below: batched together, one would see what it must not.
      const [mine, other] = await Promise.all([node.items.findById(row.id), node.items.findById(ids[0] as string)]);
      expect(mine?.name).toBe("in-tx");
      expect(other?.name).toBe("item-0");
      throw new Error("roll back");
    })
    .catch((err: Error) => err.message);
  // This continuation runs outside the transaction's async context.
  const outside = await node.items.findById(await createdId);
  expect(outside).toBeNull();
  expect(await tx).toBe("roll back");
});
