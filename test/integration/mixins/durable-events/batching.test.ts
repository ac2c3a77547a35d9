/**
 * Group commit (`batch`): events in flight together are handled in one
 * transaction, each exactly once; a failing event rolls its batch back and
 * the others are then handled alone, while it alone retries and is
 * dead-lettered; ordered batches still skip superseded versions.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { ServiceBroker, Service } from "moleculer";
import { Client } from "pg";
import { setConfig } from "../../../../lib/config";
import { DbMixin, type DbMixinThis } from "../../../../mixins/db";
import {
  DURABLE_EVENTS_MIGRATIONS,
  DurableEventsMixin,
  durableHandler,
  type DurableEnvelope,
} from "../../../../mixins/durable-events";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import { createTestDatabase, waitFor, type TestDatabase } from "../../../helpers/infra";
import { createBroker, durableConfig } from "./helpers/brokers";
import "./helpers/test-events";

const MIGRATIONS = { name: "durable-events-test", dir: join(__dirname, "migrations") };
const ENTITIES = {
  notes: { table: "notes", kind: "relational" as const, fields: { body: { type: "text" as const, required: true } } },
};
type TallyThis = Service & DbMixinThis;

const batchSizes: number[] = [];

function tallySchema() {
  return {
    name: "tally",
    mixins: [
      DbMixin({
        schema: "tally",
        entities: ENTITIES,
        primary: "notes",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    channels: {
      ...durableHandler("dtest.pinged", {
        group: "tally",
        batch: { maxSize: 50 },
        async batchHandler(this: TallyThis, envelopes: Array<DurableEnvelope<"dtest.pinged">>) {
          batchSizes.push(envelopes.length);
          await this.db.query("INSERT INTO received (event_id) SELECT unnest($1::text[])", [
            envelopes.map((e) => e.id),
          ]);
          if (envelopes.some((e) => e.payload.note === "poison")) throw new Error("poison in the batch");
        },
      }),
      ...durableHandler("dtest.docSaved", {
        group: "tally",
        ordered: true,
        batch: true,
        async handler(this: TallyThis, envelope) {
          await this.db.query("INSERT INTO applied (doc_id, type, rev, version) VALUES ($1, $2, $3, $4)", [
            envelope.payload.docId,
            envelope.type,
            envelope.payload.rev,
            envelope.version ?? null,
          ]);
        },
      }),
    },
  };
}

describe("durable events: batched handling (group commit, PostgreSQL)", () => {
  let db: TestDatabase;
  let pg: Client;
  let broker: ServiceBroker;

  beforeAll(async () => {
    db = await createTestDatabase("arena_durable_batch");
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const config = await durableConfig(undefined, { DATABASE_URL: db.url });
    setConfig(config);
    broker = createBroker(config);
    broker.createService(tallySchema());
    await broker.start();
  });

  afterAll(async () => {
    await broker?.stop();
    await pg?.end();
    await db?.drop();
  });

  const rowsOf = async (ids: string[]) =>
    (
      await pg.query<{ event_id: string; n: string }>(
        "SELECT event_id, count(*) AS n FROM tally.received WHERE event_id = ANY($1) GROUP BY event_id",
        [ids],
      )
    ).rows;

  it("handles a burst in batches, each event exactly once, duplicates included", async () => {
    const runtime = getRuntime(broker);
    const envelopes = Array.from({ length: 200 }, (_, seq) => createEnvelope("dtest.pinged", { seq }, "test"));
    await Promise.all([...envelopes, envelopes[0], envelopes[1], envelopes[1]].map((e) => runtime.publish(e)));
    const ids = envelopes.map((e) => e.id);
    await waitFor(async () => (await rowsOf(ids)).length === 200, { what: "200 events handled" });
    expect((await rowsOf(ids)).every((r) => r.n === "1")).toBe(true);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(50);
  });

  it("a failing event rolls its batch back: the others are handled alone, it alone is dead-lettered", async () => {
    const runtime = getRuntime(broker);
    const good = Array.from({ length: 30 }, (_, seq) => createEnvelope("dtest.pinged", { seq }, "test"));
    const poison = createEnvelope("dtest.pinged", { seq: 99, note: "poison" }, "test");
    await Promise.all([...good.slice(0, 15), poison, ...good.slice(15)].map((e) => runtime.publish(e)));
    const ids = good.map((e) => e.id);
    await waitFor(async () => (await rowsOf(ids)).length === 30, { what: "the good events handled" });
    expect((await rowsOf(ids)).every((r) => r.n === "1")).toBe(true);
    const store = await runtime.deadLetters();
    await waitFor(async () => (await store.list("dtest.pinged", 100)).some((l) => l.eventId === poison.id), {
      what: "the poison dead-lettered",
    });
    expect(await rowsOf([poison.id])).toEqual([]);
  });

  it("skips superseded versions in ordered batches", async () => {
    const runtime = getRuntime(broker);
    const docId = randomUUID();
    const key = `doc:${docId}`;
    const newer = { ...createEnvelope("dtest.docSaved", { docId, rev: 2 }, "docs", new Date(), key), version: 20 };
    const older = { ...createEnvelope("dtest.docSaved", { docId, rev: 1 }, "docs", new Date(), key), version: 10 };
    await runtime.publish(newer);
    await runtime.publish(older);
    await waitFor(
      async () =>
        (
          await pg.query<{ n: string }>("SELECT count(*) AS n FROM tally.processed_events WHERE event_id = ANY($1)", [
            [newer.id, older.id],
          ])
        ).rows[0].n === "2",
      { what: "both handled" },
    );
    const { rows } = await pg.query<{ rev: number }>("SELECT rev FROM tally.applied WHERE doc_id = $1", [docId]);
    expect(rows.map((r) => r.rev)).toEqual([2]);
  });
});
