import { randomUUID } from "node:crypto";
import type { ServiceSchema } from "moleculer";
import { DurableEventsMixin, durableHandler } from "../../../../mixins/durable-events";
import type { UserUpdated } from "../../../../services/core/users/users.events";
import { isErrorBody, ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(60000);

const updates: UserUpdated[] = [];
const recorder: ServiceSchema = {
  name: "userrecorder",
  mixins: [DurableEventsMixin()],
  channels: {
    ...durableHandler("user.updated", {
      group: "userrecorder",
      async handler(envelope) {
        updates.push(envelope.payload);
      },
    }),
  },
};

describe("users service: profiles, preferences, follows, blocks (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  let alice: TestUser;
  let bob: TestUser;
  let channelId: string;

  beforeAll(async () => {
    h = await startCore({}, [recorder]);
    [alice, bob] = await Promise.all([newUser(h, "ualice"), newUser(h, "ubob")]);
    channelId = ok(await alice.api.channels.create({ slug: `ua-${Date.now().toString(36)}`, title: "Alice" }), 201)
      .channel.id;
  });
  afterAll(() => h?.stop());

  it("updates the profile, strips markup, refuses unsafe URLs, publishes user.updated", async () => {
    const saved = ok(
      await alice.api.me.update({
        displayName: "<b>Alice</b>",
        bio: "<script>x</script>speedrunner",
        links: [{ label: "yt", url: "https://youtube.com/@alice" }],
      }),
    );
    expect(saved).toMatchObject({
      displayName: "Alice",
      bio: "speedrunner",
      links: [{ label: "yt", url: "https://youtube.com/@alice" }],
    });
    const badLink = await alice.api.me.update({ links: [{ label: "x", url: "javascript:alert(1)" }] });
    expect(badLink.status).toBe(400);
    expect(isErrorBody(badLink.body) && JSON.stringify(badLink.body.error.details)).toContain("links[0].url");
    expect((await alice.api.me.update({ avatarUrl: "data:image/png;base64,AAA" })).status).toBe(400);
    expect((await alice.api.me.update({ displayName: "x".repeat(51) })).status).toBe(400);
    await waitFor(() => updates.some((u) => u.userId === alice.id && u.displayName === "Alice"), {
      what: "user.updated",
    });
    expect(updates.find((u) => u.userId === alice.id)?.changed.sort()).toEqual(["bio", "displayName", "links"]);
    expect(ok(await bob.api.users.get(alice.id))).toMatchObject({ displayName: "Alice", bio: "speedrunner" });
  });

  it("keeps preferences private and merges notification settings", async () => {
    const prefs = ok(await alice.api.me.updatePreferences({ language: "fr", notifications: { email: false } }));
    expect(prefs.preferences).toEqual({
      language: "fr",
      notifications: { email: false, push: true, liveAlerts: true, followerAlerts: true },
    });
    expect((await alice.api.me.updatePreferences({ language: "french" })).status).toBe(400);
    expect(JSON.stringify(ok(await bob.api.users.get(alice.id)))).not.toMatch(/"language"|"notifications"|@example/);
  });

  it("public profile by username: case-insensitive, 404 naming username, not shadowed by /users/:id/...", async () => {
    expect(ok(await h.api.users.byUsername(alice.username.toUpperCase())).id).toBe(alice.id);
    expect(ok(await h.api.users.byUsername(bob.username))).toEqual(ok(await h.api.users.get(bob.id)));
    const missing = await h.api.users.byUsername("nobody_here");
    expect(missing.status).toBe(404);
    expect(isErrorBody(missing.body) && missing.body.error.details).toEqual([
      { field: "username", message: "User nobody_here not found" },
    ]);
    // Usernames that are also sub-resource names of /users/:id reach this route, not those.
    for (const handle of ["roles", "private", "following"]) {
      const res = await h.api.users.byUsername(handle);
      expect([res.status, isErrorBody(res.body) && res.body.error.details[0]?.field]).toEqual([404, "username"]);
    }
    expect((await h.api.users.byUsername("x".repeat(256))).status).toBe(400);
    expect((await h.api.request("GET", `/users/by-username/${alice.username}?expand=1`)).status).toBe(400);
  });

  it("answers 404 for unknown users and channels, batches getMany", async () => {
    expect((await bob.api.users.get(randomUUID())).status).toBe(404);
    expect((await bob.api.channels.follow(randomUUID())).status).toBe(404);
    expect((await bob.api.users.following(randomUUID())).status).toBe(404);
    expect((await h.api.channels.followers(randomUUID())).status).toBe(404);
    const many = await h.broker.call<Array<{ id: string }>, { ids: string[] }>("users.getMany", {
      ids: [bob.id, randomUUID(), alice.id],
    });
    expect(many.map((u) => u.id)).toEqual([bob.id, alice.id]);
  });

  it("follows: public following list with paging, followers list, getFollow", async () => {
    ok(await bob.api.channels.follow(channelId));
    const page = ok(await alice.api.users.following(bob.id, { limit: 10 }));
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]?.channel.id).toBe(channelId);
    const followedAt = page.items[0]?.followedAt as string;
    await expect(h.broker.call("users.getFollow", { userId: bob.id, channelId })).resolves.toEqual({ followedAt });
    expect(ok(await h.api.channels.followers(channelId)).items.map((f) => f.user.id)).toEqual([bob.id]);
    await waitFor(async () => ok(await h.api.channels.get(channelId)).followerCount === 1, { what: "follower count" });
    // Keyset pages for fan-out: a full page hands back where to continue, the last page null.
    await expect(h.broker.call("users.followerBatch", { channelId, limit: 1 })).resolves.toEqual({
      userIds: [bob.id],
      after: bob.id,
    });
    await expect(h.broker.call("users.followerBatch", { channelId, after: bob.id, limit: 1 })).resolves.toEqual({
      userIds: [],
      after: null,
    });
  });

  it("follow state: the caller's follow of one channel, whatever the length of their list", async () => {
    const dave = await newUser(h, "dave");
    expect(ok(await dave.api.channels.followState(channelId))).toEqual({
      channelId,
      following: false,
      followedAt: null,
    });
    const followed = ok(await dave.api.channels.follow(channelId));
    expect(ok(await dave.api.channels.followState(channelId))).toEqual({
      channelId,
      following: true,
      followedAt: followed.followedAt,
    });
    // Another user's state is their own, and anonymous callers are asked to log in.
    expect(ok(await alice.api.channels.followState(channelId)).following).toBe(false);
    expect((await h.api.channels.followState(channelId)).status).toBe(401);
    ok(await dave.api.channels.unfollow(channelId));
    expect(ok(await dave.api.channels.followState(channelId)).following).toBe(false);
  });

  it("blocks: a blocked user cannot follow the blocker's channel; the list is private", async () => {
    const carol = await newUser(h, "ucarol");
    ok(await alice.api.me.block(carol.id));
    expect((await carol.api.channels.follow(channelId)).status).toBe(403);
    expect(ok(await alice.api.me.blocks()).items.map((b) => b.user.id)).toEqual([carol.id]);
    expect(ok(await carol.api.me.blocks()).items).toEqual([]);
    expect((await alice.api.me.block(alice.id)).status).toBe(400);
    ok(await alice.api.me.unblock(carol.id));
    ok(await carol.api.channels.follow(channelId));
    await waitFor(async () => ok(await h.api.channels.get(channelId)).followerCount === 2, { what: "second follower" });
  });

  it("blocking a follower removes their follow of the blocker's channel and the follower count drops", async () => {
    const dan = await newUser(h, "udan");
    const before = ok(await h.api.channels.get(channelId)).followerCount;
    ok(await dan.api.channels.follow(channelId));
    await waitFor(async () => ok(await h.api.channels.get(channelId)).followerCount === before + 1, {
      what: "dan counted",
    });
    expect(ok(await dan.api.me.get()).followingCount).toBe(1);
    ok(await alice.api.me.block(dan.id));
    expect(ok(await dan.api.me.following()).items).toEqual([]);
    expect(ok(await dan.api.me.get()).followingCount).toBe(0);
    await expect(h.broker.call("users.getFollow", { userId: dan.id, channelId })).resolves.toBeNull();
    expect(ok(await h.api.channels.followers(channelId)).items.map((f) => f.user.id)).not.toContain(dan.id);
    await waitFor(async () => ok(await h.api.channels.get(channelId)).followerCount === before, {
      what: "follower count after block",
    });
    // Blocking again is a no-op: the count must not drop twice.
    ok(await alice.api.channels.addModerator(channelId, dan.id));
    ok(await alice.api.channels.addVip(channelId, dan.id));
    ok(await alice.api.me.block(dan.id));
    expect(ok(await dan.api.me.get()).followingCount).toBe(0);
    // Nor does a blocked user stay the blocker's moderator or VIP.
    expect(ok(await h.api.channels.chatPolicy(channelId))).toMatchObject({ moderatorIds: [], vipIds: [] });
  });
});
