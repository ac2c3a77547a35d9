import { normalizeSlug, normalizeTags, slugProblem } from "../../../../services/core/channels/slug";
import {
  generateStreamKey,
  hashStreamKey,
  looksLikeStreamKey,
  streamKeyMatches,
} from "../../../../services/core/channels/stream-key";
import {
  isSafeHttpUrl,
  plainText,
  toPrivateProfile,
  toPublicProfile,
  type UserRecord,
} from "../../../../services/core/users/profile";

describe("slug rules", () => {
  it.each(["abc", "pro-gamer-42", "a1b", "x".repeat(32)])("accepts %s", (slug) =>
    expect(slugProblem(slug)).toBeUndefined(),
  );
  it.each(["ab", "-abc", "abc-", "a--b", "ABC", "with space", "x".repeat(33), "émile"])("refuses %s", (slug) =>
    expect(slugProblem(slug)).toBeDefined(),
  );
  it("refuses reserved words and normalizes input", () => {
    expect(slugProblem("admin")).toMatch(/reserved/);
    expect(normalizeSlug("  Pro-Gamer ")).toBe("pro-gamer");
    expect(normalizeTags([" FPS", "fps", "Battle Royale", ""])).toEqual(["fps", "battle-royale"]);
  });
});

describe("stream keys", () => {
  it("are random, recognisable, and verified by hash only", () => {
    const key = generateStreamKey();
    expect(looksLikeStreamKey(key)).toBe(true);
    expect(generateStreamKey()).not.toBe(key);
    const stored = hashStreamKey(key);
    expect(stored).not.toContain(key);
    expect(streamKeyMatches(key, stored)).toBe(true);
    expect(streamKeyMatches(generateStreamKey(), stored)).toBe(false);
    expect(streamKeyMatches(key, null)).toBe(false);
    expect(streamKeyMatches(key, "abcd")).toBe(false);
  });
});

describe("profiles", () => {
  const user: UserRecord = {
    id: "u1",
    username: "alice",
    email: "alice@example.com",
    displayName: "Alice",
    bio: "hi",
    avatarUrl: null,
    links: [],
    language: "en",
    notifications: { email: false, push: true, liveAlerts: true, followerAlerts: true },
    externalSubject: null,
    followingCount: 2,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date(),
  };
  it("keeps private fields out of the public view", () => {
    const pub = toPublicProfile(user);
    expect(pub).not.toHaveProperty("email");
    expect(pub).not.toHaveProperty("preferences");
    expect(JSON.stringify(pub)).not.toContain("alice@example.com");
    expect(toPrivateProfile(user)).toMatchObject({
      email: "alice@example.com",
      preferences: { language: "en", notifications: { email: false } },
    });
  });
  it("allows only http(s) links and strips markup from text", () => {
    expect(isSafeHttpUrl("https://twitch.tv/a")).toBe(true);
    expect(isSafeHttpUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeHttpUrl("not a url")).toBe(false);
    expect(plainText(" <b>Hi</b>\u0007 ")).toBe("Hi");
    expect(plainText("<script type=x>alert(1)</script>speedrunner<style>p{}</STYLE>")).toBe("speedrunner");
  });
});
