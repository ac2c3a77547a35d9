/** The per-user hidden-owners cache: one lookup per user at a time, and a drop beats a lookup in flight. */
import { HiddenOwnersCache } from "../../../../services/content/search/block-cache";

function deferred() {
  let resolve!: (hidden: string[]) => void;
  const promise = new Promise<string[]>((r) => (resolve = r));
  return { promise, resolve };
}

it("keeps a user's hidden owners, sharing one lookup among concurrent asks", async () => {
  const cache = new HiddenOwnersCache(60_000);
  const lookup = deferred();
  const load = jest.fn(() => lookup.promise);
  const both = Promise.all([cache.get("u1", load), cache.get("u1", load)]);
  lookup.resolve(["o1"]);
  expect(await both).toEqual([["o1"], ["o1"]]);
  expect(await cache.get("u1", async () => ["other"])).toEqual(["o1"]);
  expect(load).toHaveBeenCalledTimes(1);
});

it("does not keep a lookup that a drop of that user overtook, and keeps another user's", async () => {
  const cache = new HiddenOwnersCache(60_000);
  const u1 = deferred();
  const u2 = deferred();
  const first = cache.get("u1", () => u1.promise);
  const second = cache.get("u2", () => u2.promise);
  cache.drop(["u1"]);
  u1.resolve(["old"]);
  u2.resolve(["o2"]);
  expect(await first).toEqual(["old"]);
  expect(await second).toEqual(["o2"]);
  expect(await cache.get("u1", async () => ["new"])).toEqual(["new"]);
  expect(await cache.get("u2", async () => ["other"])).toEqual(["o2"]);
});

it("forgets a dropped user's set, and keeps nothing with a TTL of 0", async () => {
  const cache = new HiddenOwnersCache(60_000);
  await cache.get("u1", async () => ["old"]);
  cache.drop(["u1"]);
  expect(await cache.get("u1", async () => ["new"])).toEqual(["new"]);

  const off = new HiddenOwnersCache(0);
  await off.get("u1", async () => ["a"]);
  expect(await off.get("u1", async () => ["b"])).toEqual(["b"]);
});
