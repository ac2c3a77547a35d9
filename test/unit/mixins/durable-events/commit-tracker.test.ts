import type { Service } from "moleculer";
import { trackCommits } from "../../../../mixins/durable-events/commit-tracker";

/** A transaction runner with the DbHandle contract: nested calls join the outer one, a throw rolls back. */
function fakeHandle(log: string[]) {
  let depth = 0;
  return {
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      if (depth > 0) return fn();
      depth++;
      log.push("begin");
      try {
        const result = await fn();
        log.push("commit");
        return result;
      } catch (err) {
        log.push("rollback");
        throw err;
      } finally {
        depth--;
      }
    },
  };
}

const asService = (holder: object) => holder as Service;

describe("trackCommits", () => {
  it("runs callbacks after the outermost commit, never after a rollback", async () => {
    const log: string[] = [];
    const svc: { db?: ReturnType<typeof fakeHandle> } = { db: fakeHandle(log) };
    trackCommits.install(asService(svc));
    const db = svc.db as ReturnType<typeof fakeHandle>;

    await db.transaction(async () => {
      trackCommits.current()?.onCommit(() => log.push("relay outer"));
      await db.transaction(async () => {
        trackCommits.current()?.onCommit(() => log.push("relay nested"));
      });
      log.push("after nested");
    });
    expect(log).toEqual(["begin", "after nested", "commit", "relay outer", "relay nested"]);

    log.length = 0;
    await expect(
      db.transaction(async () => {
        trackCommits.current()?.onCommit(() => log.push("relay"));
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(log).toEqual(["begin", "rollback"]);
  });

  it("reports no transaction outside one", () => {
    expect(trackCommits.current()).toBeUndefined();
  });

  it("wraps a db assigned after install (mixin order does not matter)", async () => {
    const log: string[] = [];
    const svc: { db?: ReturnType<typeof fakeHandle> } = {};
    trackCommits.install(asService(svc));
    Object.assign(svc, { db: fakeHandle(log) });
    await svc.db?.transaction(async () => {
      trackCommits.current()?.onCommit(() => log.push("relay"));
    });
    expect(log).toEqual(["begin", "commit", "relay"]);
  });
});
