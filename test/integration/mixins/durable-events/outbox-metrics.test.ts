/**
 * The outbox backlog an operator alerts on, measured on a real PostgreSQL:
 * unpublished rows and the age of the oldest, 0 when the relay has caught up,
 * published as the node's arena_durable_events_outbox_* gauges.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import {
  OUTBOX_LAG_METRIC,
  OUTBOX_PENDING_METRIC,
  readOutboxBacklog,
  reportOutboxBacklog,
} from "../../../../mixins/durable-events/outbox-metrics";
import {
  DURABLE_EVENTS_MIGRATIONS,
  insertOutbox,
  lockUnpublished,
  markPublished,
  type OutboxDb,
} from "../../../../mixins/durable-events/outbox-store";
import { createTestDatabase, type TestDatabase } from "../../../helpers/infra";
import "./helpers/test-events";

describe("outbox backlog metrics", () => {
  let db: TestDatabase;
  let client: Client;
  let outbox: OutboxDb;

  beforeAll(async () => {
    db = await createTestDatabase("arena_outbox_metrics");
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query("CREATE SCHEMA svc; SET search_path TO svc");
    for (const file of readdirSync(DURABLE_EVENTS_MIGRATIONS.dir).sort())
      await client.query(readFileSync(join(DURABLE_EVENTS_MIGRATIONS.dir, file), "utf8"));
    outbox = {
      schema: "svc",
      query: async <R>(sql: string, bind: unknown[] = []) => (await client.query(sql, bind)).rows as R[],
      transaction: async <T>(fn: () => Promise<T>) => {
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
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it("counts what waits and how long the oldest has waited, and reads 0 once all is relayed", async () => {
    expect(await readOutboxBacklog(outbox)).toEqual({ pending: 0, oldestSeconds: 0 });
    for (let i = 0; i < 3; i++) await insertOutbox(outbox, createEnvelope("dtest.pinged", { seq: i }, "test"));
    // Backdate the oldest: a relay stuck for two minutes.
    await client.query(
      "UPDATE svc.outbox SET created_at = now() - interval '120 seconds' WHERE seq = (SELECT min(seq) FROM svc.outbox)",
    );
    const stuck = await readOutboxBacklog(outbox);
    expect(stuck.pending).toBe(3);
    expect(stuck.oldestSeconds).toBeGreaterThanOrEqual(119);
    expect(stuck.oldestSeconds).toBeLessThan(180);

    const broker = new ServiceBroker({ logger: false, metrics: { enabled: true, reporter: [] } });
    reportOutboxBacklog(broker, "svc", stuck);
    expect(broker.metrics.getMetric(OUTBOX_PENDING_METRIC)?.get({ schema: "svc" })?.value).toBe(3);
    expect(broker.metrics.getMetric(OUTBOX_LAG_METRIC)?.get({ schema: "svc" })?.value).toBeGreaterThanOrEqual(119);

    const rows = await outbox.transaction(() => lockUnpublished(outbox, 10));
    await markPublished(
      outbox,
      rows.map((r) => r.id),
    );
    const caughtUp = await readOutboxBacklog(outbox);
    expect(caughtUp).toEqual({ pending: 0, oldestSeconds: 0 });
    reportOutboxBacklog(broker, "svc", caughtUp);
    expect(broker.metrics.getMetric(OUTBOX_LAG_METRIC)?.get({ schema: "svc" })?.value).toBe(0);
  });
});
