/**
 * The "done when", over real processes: a gateway node, an
 * identity+users node and a channels node talking over the real NATS, durable
 * events on NATS JetStream, data in a real PostgreSQL database. A new user
 * registers, logs in, creates a channel, gets its stream key once; another
 * user follows; both see the right counts; disallowed calls change nothing.
 */
import { ok, type ApiClient } from "../../helpers/api-client";
import { E2E_PASSWORD as PASSWORD, startE2eCluster, type E2eCluster } from "../../helpers/e2e-cluster";
import { waitFor } from "../../helpers/infra";

describe("first vertical slice across three nodes over NATS", () => {
  let cluster: E2eCluster;
  let namespace: string;
  let api: ApiClient;

  beforeAll(async () => {
    cluster = await startE2eCluster({
      prefix: "core",
      nodes: { gw: "api", id: "identity,users", ch: "channels" },
      // Ready when the gateway can reach identity (and identity has its signing key).
      readyWhen: { "identity.jwks through the gateway": "/auth/jwks", "channels through the gateway": "/channels" },
      timeoutMs: 90000,
    });
    ({ namespace, api } = cluster);
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it("register → login → channel → stream key once → follow → counts → refusals", async () => {
    const alice = `alice_${namespace}`.slice(0, 24);
    const bob = `bob_${namespace}`.slice(0, 24);
    expect(
      (await api.auth.register({ email: `${alice}@example.test`, username: alice, password: PASSWORD })).status,
    ).toBe(201);
    expect((await api.auth.register({ email: `${bob}@example.test`, username: bob, password: PASSWORD })).status).toBe(
      201,
    );
    const aliceTokens = ok(await api.auth.login({ login: alice, password: PASSWORD }));
    const bobTokens = ok(await api.auth.login({ login: `${bob}@example.test`, password: PASSWORD }));
    const asAlice = api.as(aliceTokens.accessToken);
    const asBob = api.as(bobTokens.accessToken);

    const created = ok(
      await asAlice.channels.create({
        slug: `alice-${namespace}`.slice(0, 32).toLowerCase(),
        title: "Alice live",
        category: "fps",
      }),
      201,
    );
    const channelId = created.channel.id;
    expect(created.streamKey).toMatch(/^live_/);
    // Shown once: no later read carries it.
    for (const res of [
      await asAlice.channels.get(channelId),
      await asBob.channels.getBySlug(created.channel.slug),
      await asAlice.channels.list(),
    ]) {
      expect(JSON.stringify(res.body)).not.toContain(created.streamKey);
    }

    ok(await asBob.channels.follow(channelId));
    await waitFor(async () => ok(await asAlice.channels.get(channelId)).followerCount === 1, {
      timeoutMs: 30000,
      what: "follower count 1 seen by the owner",
    });
    expect(ok(await asBob.channels.get(channelId)).followerCount).toBe(1);
    const bobFollowing = ok(await asBob.me.following());
    expect(bobFollowing.items.map((f) => f.channel.id)).toEqual([channelId]);
    expect(ok(await asAlice.channels.followers(channelId)).items.map((f) => f.user.id)).toEqual([bobTokens.user.id]);
    expect(ok(await asAlice.users.get(bobTokens.user.id)).followingCount).toBe(1);

    // Disallowed calls are refused and change nothing.
    const before = ok(await asAlice.channels.get(channelId));
    expect((await asBob.channels.update(channelId, { title: "pwned" })).status).toBe(403);
    expect((await asBob.channels.rotateStreamKey(channelId)).status).toBe(403);
    expect((await asBob.channels.addModerator(channelId, bobTokens.user.id)).status).toBe(403);
    expect((await api.channels.update(channelId, { title: "anon" })).status).toBe(401);
    expect((await asBob.users.getPrivate(aliceTokens.user.id)).status).toBe(403);
    expect(ok(await asAlice.channels.get(channelId))).toEqual(before);
    expect(ok(await asAlice.channels.chatPolicy(channelId)).moderatorIds).toEqual([]);

    // Creating a channel makes Alice a creator: her next token carries the role.
    await waitFor(
      async () => ok(await api.auth.login({ login: alice, password: PASSWORD })).user.roles.includes("creator"),
      { timeoutMs: 30000, intervalMs: 500, what: "creator role" },
    );
  });
});
