import { randomBytes } from "node:crypto";
import { ok } from "../../helpers/api-client";
import { createTestDatabase, uniqueId, waitFor, type TestDatabase } from "../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(90000);

/**
 * A core node restarted on the same database (its own private broker and
 * gateway, never the shared servers) keeps everything: signing keys, so
 * tokens issued before stay valid; revoked sessions, so a logged-out token
 * stays refused; refresh tokens, profiles, channels, follows and counts.
 */
describe("core: nothing is lost or reopened across a restart", () => {
  let db: TestDatabase;
  let h: CoreHarness | undefined;

  beforeAll(async () => {
    db = await createTestDatabase("arena_restart");
  });
  afterAll(async () => {
    await h?.stop();
    await db?.drop();
  });

  it("tokens, revocations, channels and follows survive a restart", async () => {
    const env = {
      DATABASE_URL: db.url,
      NAMESPACE: uniqueId("ns"),
      IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("hex"),
    };
    h = await startCore(env);
    const alice = await newUser(h, "rsa");
    const bob = await newUser(h, "rsb");
    const laptop = ok(await h.api.auth.login({ login: alice.email, password: PASSWORD }));
    ok(await alice.api.as(laptop.accessToken).auth.logout());
    const created = ok(
      await alice.api.channels.create({ slug: `rs-${Date.now().toString(36)}`, title: "Restart" }),
      201,
    );
    ok(await bob.api.channels.follow(created.channel.id));
    const first = h;
    await waitFor(async () => ok(await first.api.channels.get(created.channel.id)).followerCount === 1, {
      what: "follower count",
    });
    await h.stop();
    h = undefined;

    h = await startCore(env);
    const again = h.api;
    // Same signing key: a token from before the restart is still accepted.
    expect(ok(await again.as(alice.token).me.get()).id).toBe(alice.id);
    // The logged-out session stays refused by a gateway that never saw the logout.
    expect((await again.as(laptop.accessToken).me.get()).status).toBe(401);
    expect((await again.auth.refresh(laptop.refreshToken)).status).toBe(401);
    // The live session's refresh token still rotates.
    expect(ok(await again.auth.refresh(alice.refreshToken)).refreshToken).not.toBe(alice.refreshToken);
    expect(ok(await again.channels.get(created.channel.id))).toMatchObject({ ownerId: alice.id, followerCount: 1 });
    expect(ok(await again.as(bob.token).me.following()).items.map((f) => f.channel.id)).toEqual([created.channel.id]);
    // The old stream key is still the key (it is shown once, so it must not change on its own).
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey: created.streamKey })).resolves.toMatchObject({
      channelId: created.channel.id,
    });
  });
});
