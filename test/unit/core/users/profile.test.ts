import { toPlainText } from "../../../../lib/text/plain-text";
import { isSafeHttpUrl, toPrivateProfile, toPublicProfile } from "../../../../services/core/users/profile";
import type { UserDoc } from "../../../../services/core/users/users.entities";

describe("profiles", () => {
  const user: UserDoc = {
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
    expect(toPlainText(" <b>Hi</b>\u0007 ")).toBe("Hi");
    expect(toPlainText("<script type=x>alert(1)</script>speedrunner<style>p{}</STYLE>")).toBe("speedrunner");
  });
});
