/**
 * What the authorization guard (test/integration/authz/, every mutating route through the gateway) does not
 * reach in the core services: ownership checked by the services themselves when called without the gateway,
 * private profile reads, and the rules on a caller's own channel.
 */
import { ok } from "../../helpers/api-client";
import { newUser, startCore, type CoreHarness, type TestUser } from "./core-harness";

jest.setTimeout(120000);

describe("core ownership beyond the route guard (real gateway, real Postgres)", () => {
  let h: CoreHarness;
  let owner: TestUser;
  let other: TestUser;
  let channelId: string;
  let streamKey: string;

  beforeAll(async () => {
    h = await startCore();
    [owner, other] = await Promise.all([newUser(h, "own"), newUser(h, "oth")]);
    const created = ok(
      await owner.api.channels.create({ slug: `own-${Date.now().toString(36)}`, title: "Owner's channel" }),
      201,
    );
    channelId = created.channel.id;
    streamKey = created.streamKey;
  });
  afterAll(() => h?.stop());

  const channel = () => h.broker.call("channels.get", { id: channelId });

  it("ownership is enforced in the service, not only at the gateway", async () => {
    const before = await channel();
    const asOther = {
      meta: { user: { id: other.id, username: other.username, roles: ["viewer", "creator", "moderator"] } },
    };
    await expect(h.broker.call("channels.update", { id: channelId, title: "direct" }, asOther)).rejects.toMatchObject({
      code: 403,
    });
    await expect(h.broker.call("channels.rotateStreamKey", { id: channelId }, asOther)).rejects.toMatchObject({
      code: 403,
    });
    await expect(
      h.broker.call("channels.addModerator", { id: channelId, userId: other.id }, asOther),
    ).rejects.toMatchObject({ code: 403 });
    await expect(h.broker.call("channels.update", { id: channelId, title: "anon" })).rejects.toMatchObject({
      code: 401,
    });
    await expect(h.broker.call("users.getPrivate", { id: owner.id }, asOther)).rejects.toMatchObject({ code: 403 });
    expect(await channel()).toEqual(before);
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey })).resolves.toBeDefined();
  });

  it("private profile data is only for its owner", async () => {
    expect((await other.api.users.getPrivate(owner.id)).status).toBe(403);
    expect((await h.api.users.getPrivate(owner.id)).status).toBe(401);
    expect(ok(await owner.api.users.getPrivate(owner.id))).toHaveProperty("email", owner.email);
    const pub = ok(await h.api.users.get(owner.id));
    expect(pub).not.toHaveProperty("email");
    expect(pub).not.toHaveProperty("preferences");
  });

  it("the owner cannot follow their own channel", async () => {
    const before = ok(await owner.api.me.following({ limit: 100 }));
    expect((await owner.api.channels.follow(channelId)).status).toBe(400);
    expect(ok(await owner.api.me.following({ limit: 100 }))).toEqual(before);
  });

  it("a rotated stream key replaces the old one at once", async () => {
    const rotated = ok(await owner.api.channels.rotateStreamKey(channelId)).streamKey;
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey })).rejects.toMatchObject({ code: 403 });
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey: rotated })).resolves.toBeDefined();
    streamKey = rotated;
  });
});
