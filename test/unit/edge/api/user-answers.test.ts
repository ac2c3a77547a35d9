import { UserAnswerCache } from "../../../../services/edge/api/user-answers";

describe("UserAnswerCache", () => {
  it("keys answers by action and user", () => {
    const cache = new UserAnswerCache(5000);
    cache.finish(cache.begin("u1"), "users.me", { id: "u1" });
    expect(cache.get("users.me", "u1")).toEqual({ id: "u1" });
    expect(cache.get("users.me", "u2")).toBeUndefined();
  });

  it("does not store an answer fetched across its user's drop or the owning service's (a read racing a write)", () => {
    const cache = new UserAnswerCache(5000);
    const mine = cache.begin("u1");
    cache.dropUser("u1");
    // A fill begun after the drop is not refused by it.
    const after = cache.begin("u1");
    cache.finish(mine, "users.me", { id: "u1", name: "old" });
    expect(cache.get("users.me", "u1")).toBeUndefined();
    cache.finish(after, "users.me", { id: "u1", name: "new" });
    expect(cache.get("users.me", "u1")).toEqual({ id: "u1", name: "new" });
    const racing = cache.begin("u2");
    cache.dropService("users");
    cache.finish(racing, "users.me", { id: "u2", name: "old" });
    expect(cache.get("users.me", "u2")).toBeUndefined();
  });

  it("stores a user's answer across another user's drop or another service's write", () => {
    const cache = new UserAnswerCache(5000);
    const fill = cache.begin("u1");
    cache.dropUser("u9");
    cache.dropService("channels");
    cache.finish(fill, "users.me", { id: "u1" });
    expect(cache.get("users.me", "u1")).toEqual({ id: "u1" });
  });

  it("drops one user, or every answer of the owning service, and nothing for another service", () => {
    const cache = new UserAnswerCache(5000);
    cache.finish(cache.begin("u1"), "users.me", { id: "u1" });
    cache.finish(cache.begin("u2"), "users.me", { id: "u2" });
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
    cache.finish(cache.begin("a"), "users.me", 1);
    cache.finish(cache.begin("b"), "users.me", 2);
    expect(cache.get("users.me", "a")).toBe(1);
    cache.finish(cache.begin("c"), "users.me", 3);
    expect(cache.get("users.me", "b")).toBeUndefined();
    expect(cache.get("users.me", "a")).toBe(1);
    now += 2000;
    expect(cache.get("users.me", "a")).toBeUndefined();
    expect(new UserAnswerCache(0).enabled).toBe(false);
  });
});
