/**
 * A backend killed at the moment its connection becomes ready (failover,
 * restart) must not take the node down: pg emits `error` before Sequelize has
 * a listener on the client. Real PostgreSQL behind a proxy that delivers
 * ReadyForQuery and the FATAL in one write.
 */
import { execFile } from "node:child_process";
import { acquireSql } from "../../../../mixins/db/sql-connection";
import { guardedPg } from "../../../../mixins/db/guarded-pg";
import { PG_ADMIN_URL, testConfig } from "../../../helpers/infra";
import { startKillAtReadyProxy, type KillAtReadyProxy } from "./kill-at-ready-proxy";

const pgPort = Number(new URL(PG_ADMIN_URL).port || 5432);
const viaProxy = (proxy: KillAtReadyProxy) => {
  const url = new URL(PG_ADMIN_URL);
  url.port = String(proxy.port);
  return url.toString();
};

const proxies: KillAtReadyProxy[] = [];
const proxy = async (killFirst: number) => {
  const p = await startKillAtReadyProxy(pgPort, killFirst);
  proxies.push(p);
  return p;
};
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
});

it("the hazard is real: a plain pg client's process dies of the unhandled error", async () => {
  const p = await proxy(1);
  const script = `const { Client } = require("pg"); new Client(${JSON.stringify(viaProxy(p))}).connect().then(() => setTimeout(() => process.exit(0), 500));`;
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, ["-e", script], { cwd: process.cwd() }, (_err, _stdout, stderr) =>
      resolve({ code: child.exitCode, stderr }),
    );
  });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain("terminating connection due to administrator command");
});

it("a guarded client survives it and marks itself invalid for the pool", async () => {
  const p = await proxy(1);
  const client = new guardedPg.Client(viaProxy(p)) as InstanceType<typeof guardedPg.Client> & { _invalid?: boolean };
  await client.connect();
  await new Promise((resolve) => client.once("end", resolve));
  expect(client._invalid).toBe(true);
  expect(p.killed()).toBe(1);
});

it("a service's Sequelize pool answers on a fresh connection after its first one is killed at ready", async () => {
  const p = await proxy(1);
  const lease = await acquireSql(await testConfig({ DATABASE_URL: viaProxy(p) }), "killtest", "public");
  try {
    const [rows] = await lease.sequelize.query("SELECT 1 AS one");
    expect(rows).toEqual([{ one: 1 }]);
    expect(p.killed()).toBe(1);
  } finally {
    await lease.release();
  }
});
