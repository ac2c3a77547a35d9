/**
 * Node walks every enabled AsyncLocalStorage on each new promise and never
 * lets one go until it is disabled, so transaction tracking must not make one
 * per Sequelize: a process that creates pools over its life (a test worker, a
 * node re-creating them) would slow down and grow on every promise.
 */
// On globalThis: jest.mock's factory runs before this file's own top-level code.
const counter = globalThis as typeof globalThis & { asyncStoragesCreated?: number };
jest.mock("node:async_hooks", () => {
  const actual = jest.requireActual<typeof import("node:async_hooks")>("node:async_hooks");
  class CountedStorage<T> extends actual.AsyncLocalStorage<T> {
    constructor() {
      super();
      const g = globalThis as typeof globalThis & { asyncStoragesCreated?: number };
      g.asyncStoragesCreated = (g.asyncStoragesCreated ?? 0) + 1;
    }
  }
  return { ...actual, AsyncLocalStorage: CountedStorage };
});

import { Sequelize } from "sequelize";
import { SqlDb } from "../../../../mixins/db/sql-db";

it("makes no AsyncLocalStorage per Sequelize, however many there are", async () => {
  const before = counter.asyncStoragesCreated ?? 0;
  const instances = Array.from(
    { length: 20 },
    (_, i) => new Sequelize(`postgres://nobody@127.0.0.1:1/db${i}`, { dialect: "postgres", logging: false }),
  );
  const dbs = instances.map((s) => new SqlDb(s, "public"));
  expect(dbs.every((db) => db.currentTransaction() === undefined)).toBe(true);
  expect((counter.asyncStoragesCreated ?? 0) - before).toBe(0);
  await Promise.all(instances.map((s) => s.close()));
});
