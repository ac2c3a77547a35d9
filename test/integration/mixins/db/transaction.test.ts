/**
 * `this.db.transaction`: store calls and raw `this.db.query` made anywhere
 * inside the callback join it; on PostgreSQL and embedded PGlite.
 */
import { waitFor } from "../../../helpers/infra";
import { dbBackends, startBackendNode, type DbTestNode } from "./db-test-service";

describe.each(dbBackends("arena_dbtx"))("transactions on $name", (backend) => {
  let node: DbTestNode;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ node, stop } = await startBackendNode(backend, "tx_"));
  });

  afterAll(async () => {
    await stop?.();
  });

  beforeEach(async () => {
    await node.items.removeMany({});
    await node.logs.removeMany({});
  });

  /** Writes through two stores and raw SQL from nested async code, like a real action would. */
  async function writeEverywhere(tag: string): Promise<string> {
    const item = await node.items.insert({ name: `item-${tag}` } as never);
    await new Promise((r) => setImmediate(r));
    await Promise.all([
      node.logs.insert({ itemId: item.id, message: `created ${tag}` } as never),
      node.items.increment(item.id, "viewerCount", 3),
    ]);
    // Unqualified table name: raw queries resolve in the service's schema.
    await node.service.db.query(
      "INSERT INTO logs (id, item_id, message, created_at, updated_at) VALUES ($1, $2, $3, now(), now())",
      [`raw-${tag}`, item.id, "raw insert"],
    );
    return item.id;
  }

  it("commits writes from two stores and raw SQL together", async () => {
    const id = await node.service.db.transaction(() => writeEverywhere("commit"));
    expect((await node.items.findById(id))?.viewerCount).toBe(3);
    expect(await node.logs.count({ itemId: id })).toBe(2);
  });

  it("runs afterCommit callbacks once the outermost transaction commits, outside it; never after a rollback", async () => {
    const seen: string[] = [];
    let visibleToCallback: number | null = null;
    const id = await node.service.db.transaction(async () => {
      const item = await node.items.insert({ name: "after-commit" } as never);
      await node.service.db.transaction(async () => {
        node.service.db.afterCommit(() => {
          seen.push("callback");
          // Runs outside the transaction: a fresh statement sees committed rows.
          void node.items.count({ name: "after-commit" }).then((n) => (visibleToCallback = n));
        });
      });
      seen.push("body done");
      return item.id;
    });
    expect(seen).toEqual(["body done", "callback"]);
    await waitFor(() => visibleToCallback === 1, { what: "the callback's query" });
    expect(await node.items.findById(id)).not.toBeNull();

    const afterRollback: string[] = [];
    await expect(
      node.service.db.transaction(async () => {
        node.service.db.afterCommit(() => afterRollback.push("ran"));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(afterRollback).toEqual([]);
    const immediate: string[] = [];
    node.service.db.afterCommit(() => immediate.push("now"));
    expect(immediate).toEqual(["now"]);
  });

  it("lets work started inside a transaction outlive it: later statements run on their own, not on the finished transaction", async () => {
    let background: Promise<number> | undefined;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await node.service.db.transaction(async () => {
      await node.items.insert({ name: "outliving" } as never);
      // Fire-and-forget, inheriting the transaction's async context.
      background = (async () => {
        await gate;
        await node.items.insert({ name: "outliving-later" } as never);
        return node.items.count({ name: "outliving-later" });
      })();
    });
    release();
    await expect(background).resolves.toBe(1);
  });

  it("rolls back every write when the callback throws, and rethrows", async () => {
    let createdId = "";
    await expect(
      node.service.db.transaction(async () => {
        createdId = await writeEverywhere("rollback");
        // Inside the transaction the writes are visible.
        expect(await node.logs.count({ itemId: createdId })).toBe(2);
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
    expect(createdId).not.toBe("");
    expect(await node.items.findById(createdId)).toBeNull();
    expect(await node.logs.count()).toBe(0);
    const raw = await node.service.db.query<{ n: number }>("SELECT count(*)::int AS n FROM logs WHERE id = $1", [
      "raw-rollback",
    ]);
    expect(raw).toEqual([{ n: 0 }]);
  });

  it("a nested transaction joins the outer one", async () => {
    await expect(
      node.service.db.transaction(async () => {
        await node.service.db.transaction(() => node.items.insert({ name: "inner" } as never));
        throw new Error("outer failed");
      }),
    ).rejects.toThrow("outer failed");
    expect(await node.items.count({ name: "inner" })).toBe(0);
  });

  it("returns the callback's value and keeps concurrent transactions apart", async () => {
    const results = await Promise.allSettled(
      ["a", "b", "c", "d"].map((tag) =>
        node.service.db.transaction(async () => {
          await writeEverywhere(tag);
          if (tag === "b" || tag === "d") throw new Error(`fail ${tag}`);
          return tag;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "rejected"]);
    expect(results[0]).toMatchObject({ value: "a" });
    expect((await node.items.find({ sort: ["name"] })).map((i) => i.name)).toEqual(["item-a", "item-c"]);
    expect(await node.logs.count()).toBe(4);
  });

  it("a multi-statement insertMany is all-or-nothing", async () => {
    const batch = Array.from({ length: 7000 }, (_, i) => ({ name: `bulk-${i}` }));
    batch[6500] = { name: "bulk-1" }; // duplicate unique name in the second statement
    await expect(node.items.insertMany(batch as never[])).rejects.toMatchObject({ code: 409 });
    expect(await node.items.count()).toBe(0);
  });

  it("ping answers and raw queries outside a transaction work", async () => {
    await expect(node.service.db.ping()).resolves.toBeUndefined();
    const rows = await node.service.db.query<{ schema: string }>("SELECT current_schema() AS schema");
    expect(rows).toEqual([{ schema: node.service.db.schema }]);
  });
});
