/**
 * Per-key ordering on real PostgreSQL: keyed events get versions in the
 * commit order of their key's transactions, and ordered handlers never apply
 * an older version of a key after a newer one (within their scope), however
 * the events are delivered.
 */
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import type { DurableEnvelope, DurableEventName } from "../../../../mixins/durable-events";
import type { DurableEventMap } from "../../../../mixins/durable-events/catalog";
import { createTestDatabase, waitFor, type TestDatabase } from "../../../helpers/infra";
import type { DurableServiceThis } from "../../../../mixins/durable-events";
import { createBroker, durableConfig, producerSchema } from "./helpers/brokers";
import { docIndexSchema, docsSchema, type AppliedRow } from "./helpers/ordered-services";

describe("durable events: per-key ordering (PostgreSQL)", () => {
  let db: TestDatabase;
  let pg: Client;
  let config: ArenaConfig;
  let broker: ServiceBroker;

  beforeAll(async () => {
    db = await createTestDatabase("arena_durable_order");
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    config = await durableConfig(undefined, { DATABASE_URL: db.url });
    setConfig(config);
    broker = createBroker(config);
    broker.createService(docsSchema());
    broker.createService(docIndexSchema());
    await broker.start();
  });

  afterAll(async () => {
    await broker?.stop();
    await pg?.end();
    await db?.drop();
  });

  const applied = async (docId: string): Promise<AppliedRow[]> =>
    (
      await pg.query<AppliedRow>(
        "SELECT doc_id, type, rev, version FROM docindex.applied WHERE doc_id = $1 ORDER BY seq",
        [docId],
      )
    ).rows;
  const handled = async (ids: string[]): Promise<boolean> =>
    (
      await pg.query<{ n: string }>(
        "SELECT count(*) AS n FROM docindex.processed_events WHERE consumer_group = 'docindex' AND event_id = ANY($1)",
        [ids],
      )
    ).rows[0].n === String(ids.length);

  /** Delivered straight through the adapter, in the order given, as a broker might redeliver them. */
  async function deliver<N extends DurableEventName>(
    type: N,
    payload: DurableEventMap[N],
    key: string | undefined,
    version: number | undefined,
  ): Promise<DurableEnvelope<N>> {
    const envelope = createEnvelope(type, payload, "docs", new Date(), key);
    if (version !== undefined) envelope.version = version;
    await getRuntime(broker).publish(envelope);
    return envelope;
  }

  it("gives keyed events versions in the commit order of their key's transactions", async () => {
    const docId = randomUUID();
    // The first writer draws its outbox seq under the key's lock, then keeps its transaction open.
    const first = broker.call<{ eventId: string; committedAt: number }, object>("docs.save", {
      docId,
      rev: 1,
      holdMs: 300,
    });
    await waitFor(
      async () =>
        (
          await pg.query(
            "SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = $1",
            [db.name],
          )
        ).rowCount,
      { what: "first writer holding its key lock" },
    );
    const second = broker.call<{ eventId: string; committedAt: number }, object>("docs.save", { docId, rev: 2 });
    const [a, b] = await Promise.all([first, second]);
    expect(b.committedAt).toBeGreaterThan(a.committedAt);
    await waitFor(() => handled([a.eventId, b.eventId]), { what: "both handled" });
    const rows = await applied(docId);
    expect(rows.map((r) => r.rev)).toEqual([1, 2]);
    expect(Number(rows[1].version)).toBeGreaterThan(Number(rows[0].version));
  });

  it("skips an event older than one already applied for its key, across the types of one scope", async () => {
    const docId = randomUUID();
    const key = `doc:${docId}`;
    const deleted = await deliver("dtest.docDeleted", { docId }, key, 50);
    await waitFor(() => handled([deleted.id]), { what: "delete handled" });
    // Late: an older save, and a save with the same version as the delete.
    const older = await deliver("dtest.docSaved", { docId, rev: 7 }, key, 40);
    const same = await deliver("dtest.docSaved", { docId, rev: 8 }, key, 50);
    const newer = await deliver("dtest.docSaved", { docId, rev: 9 }, key, 60);
    await waitFor(() => handled([older.id, same.id, newer.id]), { what: "late events handled" });
    expect((await applied(docId)).map((r) => [r.type, r.rev])).toEqual([
      ["dtest.docDeleted", null],
      ["dtest.docSaved", 9],
    ]);
  });

  it("orders each scope on its own, and keys on their own", async () => {
    const docId = randomUUID();
    const other = randomUUID();
    const saved = await deliver("dtest.docSaved", { docId, rev: 1 }, `doc:${docId}`, 100);
    await waitFor(() => handled([saved.id]), { what: "save handled" });
    // docViewed has its own scope, and another key has its own versions.
    const viewed = await deliver("dtest.docViewed", { docId }, `doc:${docId}`, 90);
    const otherSaved = await deliver("dtest.docSaved", { docId: other, rev: 1 }, `doc:${other}`, 5);
    await waitFor(() => handled([viewed.id, otherSaved.id]), { what: "both handled" });
    expect((await applied(docId)).map((r) => r.type)).toEqual(["dtest.docSaved", "dtest.docViewed"]);
    expect((await applied(other)).map((r) => r.rev)).toEqual([1]);
  });

  it("handles events without a key (or from before keys) as unordered", async () => {
    const docId = randomUUID();
    const unkeyed = await deliver("dtest.docSaved", { docId, rev: 3 }, undefined, undefined);
    const unkeyed2 = await deliver("dtest.docSaved", { docId, rev: 2 }, undefined, undefined);
    await waitFor(() => handled([unkeyed.id, unkeyed2.id]), { what: "unkeyed handled" });
    expect((await applied(docId)).map((r) => r.rev).sort()).toEqual([2, 3]);
  });

  it("refuses an ordered handler on a service without a database", async () => {
    const other = createBroker(config);
    try {
      expect(() => other.createService(docIndexSchema({ db: false }))).toThrow(/needs DbMixin/);
    } finally {
      await other.stop().catch(() => undefined);
    }
  });

  it("refuses a key where there is no outbox to version it, and an over-long key", async () => {
    const node = createBroker(config);
    const producer = node.createService(producerSchema("keyless")) as unknown as DurableServiceThis;
    await node.start();
    try {
      await expect(producer.publishDurable("dtest.pinged", { seq: 1 }, { key: "k" })).rejects.toThrow(
        /needs a DB service/,
      );
    } finally {
      await node.stop();
    }
    await expect(broker.call("docs.save", { docId: "x".repeat(300), rev: 1 })).rejects.toThrow(/ordering key/);
  });
});
