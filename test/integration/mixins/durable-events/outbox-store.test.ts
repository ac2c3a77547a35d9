/**
 * The outbox SQL on a real PostgreSQL: concurrent relays take different rows
 * (SKIP LOCKED), marks and pruning touch only what they should.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import {
  DURABLE_EVENTS_MIGRATIONS,
  insertOutbox,
  lockUnpublished,
  markFailed,
  markPublished,
  pruneOld,
  recordProcessed,
  type OutboxDb,
} from "../../../../mixins/durable-events/outbox-store";
import { createTestDatabase, type TestDatabase } from "../../../helpers/infra";
import "./helpers/test-events";

/** An OutboxDb on one pg connection: enough for the store functions, which only need query + transaction. */
function connectionDb(client: Client, schema: string): OutboxDb {
  return {
    schema,
    async query<R>(sql: string, bind: unknown[] = []): Promise<R[]> {
      return (await client.query(sql, bind)).rows as R[];
    },
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      await client.query("BEGIN");
      try {
        const result = await fn();
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
    },
  };
}

describe("outbox store SQL", () => {
  let db: TestDatabase;
  let a: Client;
  let b: Client;

  beforeAll(async () => {
    db = await createTestDatabase("arena_outbox_store");
    a = new Client({ connectionString: db.url });
    b = new Client({ connectionString: db.url });
    await Promise.all([a.connect(), b.connect()]);
    await a.query("CREATE SCHEMA svc; SET search_path TO svc");
    for (const file of ["001_durable_events.sql", "002_ordering.sql"])
      await a.query(readFileSync(join(DURABLE_EVENTS_MIGRATIONS.dir, file), "utf8"));
  });

  afterAll(async () => {
    await Promise.all([a?.end(), b?.end()]);
    await db?.drop();
  });

  it("lets two relays lock different rows, in insertion order", async () => {
    const dbA = connectionDb(a, "svc");
    const dbB = connectionDb(b, "svc");
    const envelopes = [1, 2, 3, 4].map((seq) => createEnvelope("dtest.pinged", { seq }, "svc"));
    for (const e of envelopes) await insertOutbox(dbA, e);

    await a.query("BEGIN");
    const first = await lockUnpublished(dbA, 2);
    await b.query("BEGIN");
    const second = await lockUnpublished(dbB, 10);
    expect(first.map((r) => r.envelope.payload)).toEqual([{ seq: 1 }, { seq: 2 }]);
    expect(second.map((r) => r.id)).toEqual([envelopes[2].id, envelopes[3].id]);
    expect(first[0].envelope).toEqual(envelopes[0]);
    for (const r of first) await markPublished(dbA, [r.id]);
    await markFailed(dbB, second[0].id, "broker down");
    await a.query("COMMIT");
    await b.query("COMMIT");

    const rows = (
      await a.query(
        "SELECT id, published_at IS NOT NULL AS published, attempts, last_error FROM svc.outbox ORDER BY seq",
      )
    ).rows;
    expect(rows).toEqual([
      { id: envelopes[0].id, published: true, attempts: 1, last_error: null },
      { id: envelopes[1].id, published: true, attempts: 1, last_error: null },
      { id: envelopes[2].id, published: false, attempts: 1, last_error: "broker down" },
      { id: envelopes[3].id, published: false, attempts: 0, last_error: null },
    ]);
  });

  it("records a processed event once per group", async () => {
    const dbA = connectionDb(a, "svc");
    expect(await recordProcessed(dbA, "g1", "e1")).toBe(true);
    expect(await recordProcessed(dbA, "g1", "e1")).toBe(false);
    expect(await recordProcessed(dbA, "g2", "e1")).toBe(true);
  });

  it("prunes only old published rows and old processed marks", async () => {
    const dbA = connectionDb(a, "svc");
    await a.query(
      "UPDATE svc.processed_events SET processed_at = now() - interval '2 hours' WHERE consumer_group = 'g1'",
    );
    await a.query(
      "UPDATE svc.outbox SET published_at = now() - interval '2 hours' WHERE seq = (SELECT min(seq) FROM svc.outbox)",
    );
    await pruneOld(dbA, 3600_000);
    expect((await a.query("SELECT count(*)::int AS n FROM svc.outbox")).rows[0].n).toBe(3);
    expect((await a.query("SELECT count(*)::int AS n FROM svc.outbox WHERE published_at IS NULL")).rows[0].n).toBe(2);
    expect((await a.query("SELECT consumer_group FROM svc.processed_events")).rows).toEqual([{ consumer_group: "g2" }]);
  });
});

describe("outbox store setup errors", () => {
  it("says how to fix a missing outbox table", async () => {
    const db = await createTestDatabase("arena_outbox_missing");
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("CREATE SCHEMA bare");
      await expect(
        insertOutbox(connectionDb(client, "bare"), createEnvelope("dtest.pinged", { seq: 1 }, "bare")),
      ).rejects.toThrow(/add DURABLE_EVENTS_MIGRATIONS/);
    } finally {
      await client.end();
      await db.drop();
    }
  });
});
