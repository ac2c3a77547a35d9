/**
 * Embedded PGlite: data survives a restart, one database shared (and
 * refcounted) by every service of the process, interleaved transactions of
 * different services stay correct on its single session.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ServiceBroker, type Context } from "moleculer";
import { setConfig } from "../../../../lib/config";
import { DbMixin } from "../../../../mixins/db";
import { acquireEmbeddedPostgres, openEmbeddedDataDirs } from "../../../../mixins/db/embedded-postgres";
import { createTempDir, testConfig, uniqueId, type TempDir } from "../../../helpers/infra";
import { startDbNode, testDbOptions, type DbTestService } from "./db-test-service";

let dataDir: TempDir;

beforeAll(() => {
  dataDir = createTempDir("arena-pglite-");
});

afterAll(() => dataDir?.remove());

it("keeps data across a full stop and reopen of the process's database", async () => {
  const config = await testConfig({ DATA_DIR: dataDir.path });
  const schema = uniqueId("persist_").toLowerCase();
  const first = await startDbNode(config, testDbOptions(schema));
  const written = await first.items.insert({ name: "survivor", meta: { round: 1 } } as never);
  await first.service.db.transaction(() => first.logs.insert({ itemId: written.id, message: "committed" } as never));
  await first.broker.stop();
  expect(openEmbeddedDataDirs()).not.toContain(config.dataDir);

  const second = await startDbNode(config, testDbOptions(schema));
  try {
    expect(await second.items.findById(written.id)).toEqual(written);
    expect(await second.logs.count({ itemId: written.id })).toBe(1);
  } finally {
    await second.broker.stop();
  }
});

describe("two services in one process", () => {
  let broker: ServiceBroker;
  let alpha: DbTestService;
  let beta: DbTestService;
  const storesOf = (service: DbTestService) => service.stores;

  beforeAll(async () => {
    const config = await testConfig();
    setConfig(config);
    broker = new ServiceBroker({ logger: false, namespace: config.namespace });
    alpha = broker.createService({
      name: "alpha",
      mixins: [DbMixin(testDbOptions(uniqueId("alpha_").toLowerCase()))],
      actions: {
        /** Writes one log inside its own transaction (called from beta's transaction). */
        note: {
          params: { message: "string" },
          handler(this: DbTestService, ctx: Context<{ message: string }>) {
            return this.db.transaction(async () => {
              await storesOf(this).logs.insert({ itemId: "x", message: ctx.params.message } as never);
              // Unqualified raw SQL must land in alpha's schema even inside beta's transaction.
              await this.db.query(
                "INSERT INTO logs (id, item_id, message, created_at, updated_at) VALUES ($1, 'x', $2, now(), now())",
                [`raw-${ctx.params.message}`, `raw ${ctx.params.message}`],
              );
            });
          },
        },
      },
    }) as DbTestService;
    beta = broker.createService({
      name: "beta",
      mixins: [DbMixin(testDbOptions(uniqueId("beta_").toLowerCase()))],
    }) as DbTestService;
    await broker.start();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it("share one embedded database", async () => {
    expect(alpha.db.sequelize).toBeDefined();
    expect(alpha.db.sequelize).toBe(beta.db.sequelize);
    await storesOf(alpha).items.insert({ name: "same-name" } as never);
    // Separate schemas: the same table name and unique key do not collide.
    await storesOf(beta).items.insert({ name: "same-name" } as never);
  });

  it("interleaved transactions of both services commit and roll back independently", async () => {
    const run = (service: DbTestService, tag: string, fail: boolean) =>
      service.db.transaction(async () => {
        const { items, logs } = storesOf(service);
        const item = await items.insert({ name: tag } as never);
        await new Promise((r) => setImmediate(r));
        await logs.insert({ itemId: item.id, message: tag } as never);
        if (fail) throw new Error(`fail ${tag}`);
        return item.id;
      });
    const outcomes = await Promise.allSettled([
      run(alpha, "a1", false),
      run(beta, "b1", true),
      run(alpha, "a2", true),
      run(beta, "b2", false),
      run(alpha, "a3", false),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled", "fulfilled"]);
    expect((await storesOf(alpha).logs.find({ sort: ["message"] })).map((l) => l.message)).toEqual(["a1", "a3"]);
    expect((await storesOf(beta).logs.find({ sort: ["message"] })).map((l) => l.message)).toEqual(["b2"]);
  });

  it("a call to another service inside a transaction does not deadlock on the single connection", async () => {
    await beta.db.transaction(async () => {
      await storesOf(beta).items.insert({ name: "caller" } as never);
      await broker.call("alpha.note", { message: "called-inside" });
    });
    expect(await storesOf(alpha).logs.count({ message: "called-inside" })).toBe(1);
    expect(await storesOf(alpha).logs.count({ message: "raw called-inside" })).toBe(1);
    expect(await storesOf(beta).logs.count({ message: "raw called-inside" })).toBe(0);
    // beta's own unqualified SQL still resolves in beta's schema afterwards, inside its transaction.
    const schemas = await beta.db.transaction(async () => {
      await broker.call("alpha.note", { message: "second" });
      return beta.db.query<{ schema: string }>("SELECT current_schema() AS schema");
    });
    expect(schemas).toEqual([{ schema: beta.db.schema }]);
  });

  it("stopping one service leaves the shared database open for the other", async () => {
    await broker.destroyService(alpha);
    expect(await storesOf(beta).items.count({ name: "caller" })).toBe(1);
    await beta.db.ping();
  });
});

it("refuses a data dir locked by another live process and takes over a stale lock", async () => {
  const dir = createTempDir("arena-pglite-lock-");
  try {
    const pgliteDir = join(dir.path, "pglite");
    mkdirSync(pgliteDir, { recursive: true });
    // The parent process is alive and is not us: as if another node held the data dir.
    writeFileSync(join(pgliteDir, "arena.lock"), String(process.ppid));
    await expect(acquireEmbeddedPostgres(dir.path)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    expect(openEmbeddedDataDirs()).not.toContain(dir.path);

    // A process that has exited: its lock is stale.
    const exited = spawnSync(process.execPath, ["-e", ""]);
    writeFileSync(join(pgliteDir, "arena.lock"), String(exited.pid));
    const lease = await acquireEmbeddedPostgres(dir.path);
    await lease.sequelize.query("SELECT 1");
    await lease.release();
    expect(existsSync(join(pgliteDir, "arena.lock"))).toBe(false);
  } finally {
    dir.remove();
  }
});
