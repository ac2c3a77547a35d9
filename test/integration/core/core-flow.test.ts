import { ok } from "../../helpers/api-client";
import { waitFor } from "../../helpers/infra";
import { startCore, newUser, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

// `npm start` runs on embedded PGlite; production on PostgreSQL: the slice must work on both.
describe.each([
  ["PostgreSQL", false],
  ["embedded PGlite", true],
])("core slice on %s: register → login → channel → stream key → follow (real gateway)", (_name, embedded) => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore({}, [], { embedded });
  });
  afterAll(() => h?.stop());

  it("runs the first vertical slice end to end", async () => {
    const alice = await newUser(h, "alice");
    const bob = await newUser(h, "bob");

    const me = ok(await alice.api.me.get());
    expect(me).toMatchObject({ id: alice.id, email: alice.email });

    const slug = `alice-${Date.now().toString(36)}`;
    const created = ok(
      await alice.api.channels.create({ slug, title: "Alice plays", category: "fps", tags: ["FPS", "fps", "Ranked"] }),
      201,
    );
    expect(created.channel).toMatchObject({
      slug,
      ownerId: alice.id,
      tags: ["fps", "ranked"],
      followerCount: 0,
      isLive: false,
    });
    expect(created.streamKey).toMatch(/^live_/);
    const channelId = created.channel.id;

    // The key is shown once: no read returns it or its hash.
    const publicView = ok(await bob.api.channels.get(channelId));
    expect(JSON.stringify(publicView)).not.toContain(created.streamKey);
    expect(publicView).not.toHaveProperty("streamKeyHash");
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey: created.streamKey })).resolves.toEqual({
      channelId,
      ownerId: alice.id,
    });

    ok(await bob.api.channels.follow(channelId));
    await waitFor(
      async () => {
        const c = ok(await bob.api.channels.get(channelId));
        return c.followerCount === 1;
      },
      { what: "follower count 1" },
    );
    const following = ok(await bob.api.me.following());
    expect(following.items).toHaveLength(1);
    expect(following.items[0]?.channel.id).toBe(channelId);
    const followers = ok(await alice.api.channels.followers(channelId));
    expect(followers.items.map((f) => f.user.id)).toEqual([bob.id]);
    expect(ok(await alice.api.users.get(bob.id)).followingCount).toBe(1);
    await expect(h.broker.call("users.getFollow", { userId: bob.id, channelId })).resolves.toHaveProperty("followedAt");

    // Following twice changes nothing.
    ok(await bob.api.channels.follow(channelId));
    ok(await bob.api.channels.unfollow(channelId));
    await waitFor(async () => ok(await bob.api.channels.get(channelId)).followerCount === 0, {
      what: "follower count 0",
    });
    expect(ok(await bob.api.me.following()).items).toEqual([]);
    await expect(h.broker.call("users.getFollow", { userId: bob.id, channelId })).resolves.toBeNull();
  });
});
