import { randomUUID } from "node:crypto";
import type { ServiceSchema } from "moleculer";
import { DurableEventsMixin, durableHandler } from "../../../../mixins/durable-events";
import type { UserRegistered } from "../../../../services/core/identity/identity.events";
import { ok } from "../../../helpers/api-client";
import { startJwksServer, type JwksServer } from "../../../helpers/jwks-server";
import { waitFor } from "../../../helpers/infra";
import { startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(60000);

describe("Keycloak path (local JWKS server standing in for Keycloak)", () => {
  let kc: JwksServer;
  let h: CoreHarness;
  const registered: UserRegistered[] = [];
  const recorder: ServiceSchema = {
    name: "kcrecorder",
    mixins: [DurableEventsMixin()],
    channels: {
      ...durableHandler("user.registered", {
        group: "kcrecorder",
        async handler(envelope) {
          registered.push(envelope.payload);
        },
      }),
    },
  };

  beforeAll(async () => {
    kc = await startJwksServer();
    h = await startCore(
      { OIDC_ISSUER: kc.issuer, OIDC_JWKS_URL: kc.jwksUrl, OIDC_AUDIENCE: kc.audience, JWT_ALGORITHMS: "RS256" },
      [recorder],
    );
  });
  afterAll(async () => {
    await h?.stop();
    await kc?.close();
  });

  it("provisions an Arena user on first sight of a subject, once", async () => {
    const sub = randomUUID();
    const token = await kc.issue({
      sub,
      username: "kcplayer",
      realmRoles: ["creator", "offline_access"],
      extraClaims: { email: "kc@example.test" },
    });
    const me = ok(await h.api.as(token).me.get());
    expect(me).toMatchObject({ id: sub, username: "kcplayer", email: "kc@example.test" });
    ok(await h.api.as(token).me.get());
    await waitFor(() => registered.filter((r) => r.userId === sub).length === 1, {
      what: "user.registered for the subject",
    });
    expect(registered.find((r) => r.userId === sub)).toMatchObject({ source: "oidc", username: "kcplayer" });
    expect(ok(await h.api.users.get(sub)).username).toBe("kcplayer");
  });

  it("keeps usernames unique when two subjects share a preferred_username", async () => {
    const a = randomUUID();
    const b = randomUUID();
    ok(await h.api.as(await kc.issue({ sub: a, username: "samename" })).me.get());
    const second = ok(await h.api.as(await kc.issue({ sub: b, username: "samename" })).me.get());
    expect(second.username).toBe("samename2");
  });

  it("Keycloak users create channels and ownership holds across subjects", async () => {
    const owner = await kc.issue({ sub: randomUUID(), username: "kcowner" });
    const other = await kc.issue({ sub: randomUUID(), username: "kcother" });
    const created = ok(
      await h.api.as(owner).channels.create({ slug: `kc-${Date.now().toString(36)}`, title: "KC channel" }),
      201,
    );
    expect((await h.api.as(other).channels.update(created.channel.id, { title: "hijacked" })).status).toBe(403);
    expect(ok(await h.api.as(owner).channels.update(created.channel.id, { title: "renamed" })).title).toBe("renamed");
  });

  it("local registration and login are closed: Keycloak owns the accounts", async () => {
    expect(
      (
        await h.api.auth.register({
          email: "local@example.test",
          username: "localuser",
          password: "violet-tundra-42-kettle",
        })
      ).status,
    ).toBe(403);
    expect((await h.api.auth.login({ login: "localuser", password: "violet-tundra-42-kettle" })).status).toBe(403);
  });

  it("refuses tokens of another issuer and tokens signed with an unpublished key", async () => {
    expect((await h.api.as(await kc.issue({ issuer: "https://evil.example/realms/arena" })).me.get()).status).toBe(401);
    expect((await h.api.as(await kc.issue({ unpublishedKey: true })).me.get()).status).toBe(401);
  });
});
