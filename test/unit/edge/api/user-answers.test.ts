import { UserAnswerCache } from "../../../../services/edge/api/user-answers";

describe("UserAnswerCache", () => {
  it("keys answers by action and user", () => {
    const cache = new UserAnswerCache(5000);
    cache.set("users.me", "u1", { id: "u1" }, cache.epoch);
    expect(cache.get("users.me", "u1")).toEqual({ id: "u1" });
    expect(cache.get("users.me", "u2")).toBeUndefined();
  });

  it("does not store an answer fetched across a drop (a read racing a write)", () => {
    const cache = new UserAnswerCache(5000);
    const epoch = cache.epoch;
    cache.dropUser("u9");
    cache.set("users.me", "u1", { id: "u1", name: "old" }, epoch);
    expect(cache.get("users.me", "u1")).toBeUndefined();
    const later = cache.epoch;
    cache.dropService("users");
    cache.set("users.me", "u1", { id: "u1", name: "old" }, later);
    expect(cache.get("users.me", "u1")).toBeUndefined();
  });

  it("drops one user, or every answer of the owning service, and nothing for another service", () => {
    const cache = new UserAnswerCache(5000);
    cache.set("users.me", "u1", { id: "u1" }, cache.epoch);
    cache.set("users.me", "u2", { id: "u2" }, cache.epoch);
    cache.dropUser("u1");
    expect(cache.get("users.me", "u1")).toBeUndefined();
    expect(cache.get("users.me", "u2")).toEqual({ id: "u2" });
    cache.dropService("channels");
    expect(cache.get("users.me", "u2")).toEqual({ id: "u2" });
    cache.dropService("users");
    expect(cache.get("users.me", "u2")).toBeUndefined();
  });

  it("ends an entry after the TTL and keeps at most maxEntries (least recently used out)", () => {
    let now = 1000;
    const cache = new UserAnswerCache(2000, 2, () => now);
    cache.set("users.me", "a", 1, cache.epoch);
    cache.set("users.me", "b", 2, cache.epoch);
    expect(cache.get("users.me", "a")).toBe(1);
    cache.set("users.me", "c", 3, cache.epoch);
    expect(cache.get("users.me", "b")).toBeUndefined();
    expect(cache.get("users.me", "a")).toBe(1);
    now += 2000;
    expect(cache.get("users.me", "a")).toBeUndefined();
    expect(new UserAnswerCache(0).enabled).toBe(false);
  });
});
