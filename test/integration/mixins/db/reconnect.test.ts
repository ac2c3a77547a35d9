/**
 * A killed backend connection (pg_terminate_backend, as on a failover or a
 * Postgres restart) must not lose writes: the next call gets a new connection.
 * A server that is down altogether is answered with fast 503s until it is back.
 */
import { Client } from "pg";
import {
  createTestDatabase,
  PG_ADMIN_URL,
  testConfig,
  uniqueId,
  waitFor,
  type TestDatabase,
} from "../../../helpers/infra";
import { startDbNode, testDbOptions, type DbTestNode } from "./db-test-service";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

let database: TestDatabase;
let node: DbTestNode;
let admin: Client;

beforeAll(async () => {
  database = await createTestDatabase("arena_dbreconnect");
  node = await startDbNode(
    await testConfig({ DATABASE_URL: database.url }),
    testDbOptions(uniqueId("rc_").toLowerCase()),
  );
  admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
});

afterAll(async () => {
  await node?.broker.stop();
  await admin?.end();
  await database?.drop();
});

/** Kills every server process serving the service's pool; returns how many. */
async function killPoolConnections(): Promise<number> {
  const { rows } = await admin.query<{ killed: boolean }>(
    "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
    [database.name, "arena-dbtest"],
  );
  return rows.filter((r) => r.killed).length;
}

it("keeps every write across repeated terminations of the pool's connections", async () => {
  // Warm the pool so there are idle connections to kill.
  await Promise.all(Array.from({ length: 4 }, (_, i) => node.items.insert({ name: `warm-${i}` } as never)));
  let killedTotal = 0;
  const written: string[] = [];
  for (let round = 0; round < 5; round++) {
    killedTotal += await killPoolConnections();
    const batch = await Promise.all(
      Array.from({ length: 3 }, (_, i) => node.items.insert({ name: `r${round}-${i}` } as never)),
    );
    written.push(...batch.map((doc) => doc.id));
  }
  expect(killedTotal).toBeGreaterThan(0);
  const found = await node.items.findByIds(written);
  expect(found).toHaveLength(15);
});

it("a transaction started after the kill runs on a fresh connection", async () => {
  await node.items.count();
  expect(await killPoolConnections()).toBeGreaterThan(0);
  const id = await node.service.db.transaction(async () => {
    const item = await node.items.insert({ name: "after-kill" } as never);
    await node.logs.insert({ itemId: item.id, message: "after kill" } as never);
    return item.id;
  });
  expect(await node.logs.count({ itemId: id })).toBe(1);
});

describe("across a server restart (simulated by a proxy that cuts and refuses connections)", () => {
  let proxy: TcpProxy;
  let behindProxy: DbTestNode;

  beforeAll(async () => {
    proxy = await startTcpProxy("127.0.0.1", Number(new URL(database.url).port || 5432));
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    behindProxy = await startDbNode(
      await testConfig({ DATABASE_URL: url.toString() }),
      testDbOptions(uniqueId("rs_").toLowerCase()),
      "restarting",
    );
  });

  afterAll(async () => {
    await behindProxy?.broker.stop();
    await proxy?.close();
  });

  it("while the server is down calls fail fast with a 503 and Retry-After, and work again soon after it is back", async () => {
    await Promise.all(Array.from({ length: 3 }, (_, i) => behindProxy.items.insert({ name: `before-${i}` } as never)));
    await proxy.cut();
    const started = Date.now();
    const during = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => behindProxy.items.insert({ name: `during-${i}` } as never)),
    );
    // Before: each write waited out ~3.3 s of reconnect attempts, then failed as an unexpected error.
    expect(Date.now() - started).toBeLessThan(1000);
    for (const result of during) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: 503,
        type: "SERVICE_UNAVAILABLE",
        data: { dependency: "database", retryAfterS: 2 },
      });
    }
    // Known down: the next call does not even try the server.
    const fastStart = performance.now();
    await expect(behindProxy.items.count()).rejects.toMatchObject({ code: 503 });
    expect(performance.now() - fastStart).toBeLessThan(50);

    await proxy.restore();
    const back = Date.now();
    await waitFor(() => behindProxy.items.insert({ name: "after-0" } as never).then(() => true), {
      what: "writes after the restart",
      timeoutMs: 10000,
      intervalMs: 100,
    });
    // One call per probe interval (1 s) tries the database while it is marked down.
    expect(Date.now() - back).toBeLessThan(2500);
    const names = (await behindProxy.items.find({ sort: ["name"] })).map((d) => d.name);
    expect(names).toEqual(["after-0", "before-0", "before-1", "before-2"]);
  });
});
