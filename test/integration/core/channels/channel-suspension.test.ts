/**
 * A platform ban of a channel: only admins suspend or lift it; while
 * suspended the channel's stream key is refused at ingest (verifyStreamKey)
 * and ingest nodes are told to drop a live broadcaster; lifting it makes the
 * same key work again.
 */
import type { ServiceSchema } from "moleculer";
import { ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

const heard: string[] = [];
const ingestStandIn: ServiceSchema = {
  name: "ingest-listener",
  events: {
    "channels.suspended"(ctx: { params: { channelId: string } }) {
      heard.push(ctx.params.channelId);
    },
  },
};

describe("channel suspension (admin ban)", () => {
  let h: CoreHarness;
  let owner: TestUser, admin: TestUser, other: TestUser;
  let channelId: string;
  let streamKey: string;

  beforeAll(async () => {
    h = await startCore({}, [ingestStandIn]);
    [owner, admin, other] = await Promise.all([newUser(h, "so"), newUser(h, "sa"), newUser(h, "sx")]);
    await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
    const relogin = ok(await h.api.auth.login({ login: admin.email, password: "violet-tundra-42-kettle" })) as {
      accessToken: string;
    };
    admin = { ...admin, token: relogin.accessToken, api: h.api.as(relogin.accessToken) };
    const created = await owner.api.channels.create({ slug: `ban-${Date.now().toString(36)}`, title: "To be banned" });
    const body = created.body as { channel: { id: string }; streamKey: string };
    channelId = body.channel.id;
    streamKey = body.streamKey;
  });
  afterAll(() => h?.stop());

  const verify = () => h.broker.call("channels.verifyStreamKey", { streamKey });

  it("only admins may suspend or lift it; bad input is a 400, unknown channels 404", async () => {
    const path = `/channels/${channelId}/suspension`;
    expect((await h.api.request("PUT", path, { reason: "spam" })).status).toBe(401);
    expect((await owner.api.request("PUT", path, { reason: "spam" })).status).toBe(403);
    expect((await other.api.request("DELETE", path)).status).toBe(403);
    expect((await admin.api.request("PUT", path, { reason: "" })).status).toBe(400);
    expect(
      (await admin.api.request("PUT", "/channels/00000000-0000-4000-8000-000000000000/suspension", { reason: "spam" }))
        .status,
    ).toBe(404);
    await expect(verify()).resolves.toMatchObject({ channelId });
  });

  it("refuses the stream key while suspended, tells ingest to drop the broadcast, and accepts it again once lifted", async () => {
    const suspended = ok(
      await admin.api.request("PUT", `/channels/${channelId}/suspension`, { reason: "<b>ToS</b> violation" }),
    ) as { suspended: boolean; reason: string };
    expect(suspended).toMatchObject({ suspended: true, reason: "ToS violation" });
    await expect(verify()).rejects.toMatchObject({ code: 403, message: "Channel is suspended" });
    await waitFor(() => heard.includes(channelId), { what: "channels.suspended broadcast" });
    // The owner cannot lift it, even by rotating the key.
    expect((await owner.api.request("DELETE", `/channels/${channelId}/suspension`)).status).toBe(403);
    const rotated = ok(await owner.api.channels.rotateStreamKey(channelId)) as { streamKey: string };
    await expect(h.broker.call("channels.verifyStreamKey", { streamKey: rotated.streamKey })).rejects.toMatchObject({
      code: 403,
    });
    streamKey = rotated.streamKey;

    ok(await admin.api.request("DELETE", `/channels/${channelId}/suspension`));
    await expect(verify()).resolves.toMatchObject({ channelId, ownerId: owner.id });
  });
});
