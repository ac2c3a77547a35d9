/**
 * A stand-alone embedded node for the kill -9 test (run with `node --import
 * tsx`): PGlite in DATA_DIR, the in-process adapter, a DB producer and a
 * slow DB consumer. MODE=burst publishes COUNT events, ten per transaction,
 * as fast as it can; MODE=drain publishes nothing. Both print a JSON status
 * line every 50 ms so the parent can pick its moment to kill.
 */
import { randomUUID } from "node:crypto";
import type { Service } from "moleculer";
import { setConfig } from "../../../../../lib/config";
import { acquireEmbeddedPostgres } from "../../../../../mixins/db/embedded-postgres";
import { DbMixin, type DbMixinThis } from "../../../../../mixins/db";
import {
  DURABLE_EVENTS_MIGRATIONS,
  DurableEventsMixin,
  durableHandler,
  type DurableEventsMethods,
} from "../../../../../mixins/durable-events";
import { createBroker, durableConfig } from "./brokers";
import { join } from "node:path";
import "./test-events";

const MIGRATIONS = { name: "durable-events-test", dir: join(__dirname, "..", "migrations") };
const ENTITIES = {
  notes: { table: "notes", kind: "relational" as const, fields: { body: { type: "text" as const, required: true } } },
};
type DbThis = Service & DbMixinThis & DurableEventsMethods;

export interface CrashNodeStatus {
  phase: "booted" | "running";
  /** Events committed by the producer (one note each). */
  notes: number;
  /** Consumer side effects: rows, and distinct event ids among them. */
  received: number;
  distinct: number;
  /** Deliveries stored but not handled yet, as found at boot (before anything ran). */
  pendingAtBoot?: number;
}

async function count(db: DbMixinThis["db"], sql: string): Promise<number> {
  return Number((await db.query<{ n: string }>(sql))[0].n);
}

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR as string;
  const total = Number(process.env.COUNT ?? "0");
  const config = await durableConfig(undefined, {
    DATABASE_URL: undefined,
    DATA_DIR: dataDir,
    NAMESPACE: process.env.NAMESPACE,
  });
  setConfig(config);
  const print = (status: CrashNodeStatus) => process.stdout.write(`${JSON.stringify(status)}\n`);

  // What the killed run left undone, read before the broker starts delivering it.
  const lease = await acquireEmbeddedPostgres(dataDir);
  const pendingAtBoot = await lease.sequelize
    .query<{ n: string }>("SELECT count(*) AS n FROM arena_events.deliveries", { type: "SELECT" as never })
    .then((rows) => Number(rows[0].n))
    .catch(() => 0);

  const broker = createBroker(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 100 });
  const producer = broker.createService({
    name: "notes",
    mixins: [
      DbMixin({
        schema: "notes",
        entities: ENTITIES,
        primary: "notes",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
  }) as unknown as DbThis;
  const consumer = broker.createService({
    name: "inbox",
    mixins: [
      DbMixin({
        schema: "inbox",
        entities: ENTITIES,
        primary: "notes",
        migrations: [MIGRATIONS, DURABLE_EVENTS_MIGRATIONS],
      }),
      DurableEventsMixin(),
    ],
    channels: {
      ...durableHandler("dtest.pinged", {
        group: "inbox",
        async handler(this: DbThis, envelope) {
          await this.db.query("INSERT INTO received (event_id) VALUES ($1)", [envelope.id]);
          // Slower than the producer, so relayed events pile up unhandled.
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      }),
    },
  }) as unknown as DbThis;
  await broker.start();
  await lease.release();

  const status = async (phase: CrashNodeStatus["phase"]): Promise<CrashNodeStatus> => ({
    phase,
    notes: await count(producer.db, "SELECT count(*) AS n FROM notes"),
    received: await count(consumer.db, "SELECT count(*) AS n FROM received"),
    distinct: await count(consumer.db, "SELECT count(DISTINCT event_id) AS n FROM received"),
  });
  print({ ...(await status("booted")), pendingAtBoot });
  setInterval(() => void status("running").then(print, () => undefined), 50);

  for (let seq = 0; seq < total; seq += 10) {
    await producer.db.transaction(async () => {
      for (let i = seq; i < Math.min(total, seq + 10); i++) {
        await producer.db.query("INSERT INTO notes (id, body) VALUES ($1, $2)", [randomUUID(), `burst ${i}`]);
        await producer.publishDurable("dtest.pinged", { seq: i });
      }
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
