/**
 * The JWKS, OIDC discovery and data-export operations called for real, each
 * answer checked against the status and body schema the OpenAPI document
 * declares (issue 9): the export with every service that contributes a
 * section running, so each section meets the schema; then every other
 * identity operation but the two that need a mailed token.
 */
import type { ServiceSchema } from "moleculer";
import { checkJsonSchema } from "../../../../lib/http/json-schema-check";
import { USER_DATA_SERVICES } from "../../../../lib/contracts/user-data";
import BlogService from "../../../../services/content/blog/blog.service";
import TournamentsService from "../../../../services/content/tournaments/tournaments.service";
import { ACCOUNT_EXPORT, JWKS } from "../../../../services/core/identity/identity.responses";
import { totpCode } from "../../../../services/core/identity/totp";
import ModerationService from "../../../../services/core/moderation/moderation.service";
import SchedulesService from "../../../../services/core/schedules/schedules.service";
import ChatService from "../../../../services/media/chat/chat.service";
import ClipsService from "../../../../services/media/clips/clips.service";
import StreamsService from "../../../../services/media/streams/streams.service";
import VideosService from "../../../../services/media/videos/videos.service";
import { ok } from "../../../helpers/api-client";
import { uniqueId } from "../../../helpers/infra";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

jest.setTimeout(120000);

let h: CoreHarness;

beforeAll(async () => {
  h = await startCore(
    { RTMP_PORT: "0" },
    [
      ChatService,
      { name: "streams", mixins: [StreamsService as unknown as ServiceSchema] } as ServiceSchema,
      { name: "videos", mixins: [VideosService as unknown as ServiceSchema], settings: { processJobs: false } },
      TournamentsService as unknown as ServiceSchema,
      BlogService as unknown as ServiceSchema,
      { name: "schedules", mixins: [SchedulesService as unknown as ServiceSchema], settings: { runNotices: false } },
      { name: "clips", mixins: [ClipsService as unknown as ServiceSchema], settings: { processJobs: false } },
      ModerationService as unknown as ServiceSchema,
    ],
    { checkResponses: true },
  );
});
afterAll(() => h?.stop());

it("answers the JWKS and the OIDC discovery document with their declared bodies", async () => {
  const jwks = await h.api.request<{ keys: Array<{ kid: string; kty: string }> }>("GET", "/auth/jwks");
  expect(jwks.status).toBe(200);
  expect(jwks.body.keys.length).toBeGreaterThan(0);
  expect(jwks.body.keys[0]).toEqual(expect.objectContaining({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" }));
  expect((await h.api.request("GET", "/auth/.well-known/openid-configuration")).status).toBe(200);
  // The schema can fail: a key of another kind, or with a private member, is refused.
  const key = jwks.body.keys[0] as object;
  expect(checkJsonSchema({ keys: [{ ...key, kty: "RSA" }] }, JWKS.json, { ...JWKS.defs })).not.toEqual([]);
  expect(checkJsonSchema({ keys: [{ ...key, d: "secret" }] }, JWKS.json, { ...JWKS.defs })).not.toEqual([]);

  expect(h.responses?.violationsOf("identity.")).toEqual([]);
  for (const op of ["GET /api/v1/auth/jwks", "GET /api/v1/auth/.well-known/openid-configuration"])
    expect(h.responses?.unanswered("identity.")).not.toContain(op);
});

it("answers GET /me/export with a section per running exporter, each matching the declared schema", async () => {
  const user = await newUser(h, "rexp");
  const slug = uniqueId("rx").slice(0, 30).toLowerCase();
  ok(await user.api.channels.create({ slug, title: "Exported" }), 201);
  const res = await user.api.request<{ services: Record<string, Record<string, unknown>> }>("GET", "/me/export");
  expect(res.status).toBe(200);
  expect(Object.keys(res.body.services).sort()).toEqual([...USER_DATA_SERVICES]);
  expect(res.body.services.channels?.channels).toEqual([expect.objectContaining({ slug })]);

  // The schema can fail: an unknown service, or a section value that is neither records nor null.
  const defs = { ...ACCOUNT_EXPORT.defs };
  expect(checkJsonSchema(res.body, ACCOUNT_EXPORT.json, defs)).toEqual([]);
  expect(
    checkJsonSchema({ ...res.body, services: { ...res.body.services, elsewhere: {} } }, ACCOUNT_EXPORT.json, defs),
  ).not.toEqual([]);
  expect(
    checkJsonSchema({ ...res.body, services: { channels: { channels: "x" } } }, ACCOUNT_EXPORT.json, defs),
  ).not.toEqual([]);

  expect(h.responses?.violationsOf("identity.")).toEqual([]);
  expect(h.responses?.unanswered("identity.")).not.toContain("GET /api/v1/me/export");
});

it("answers every other identity operation with its declared status and body", async () => {
  const [user, admin, victim] = await Promise.all([newUser(h, "rid"), newUser(h, "riadm"), newUser(h, "rivic")]);
  await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
  const asAdmin = h.api.as(ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken);
  const second = ok(await h.api.auth.login({ login: user.email, password: PASSWORD }));
  const expectStatus = async (call: Promise<{ status: number }>, status: number, what: string) =>
    expect({ what, status: (await call).status }).toEqual({ what, status });

  await expectStatus(h.api.request("POST", "/auth/refresh", { refreshToken: second.refreshToken }), 200, "refresh");
  const sessions = await user.api.request<{ items: Array<{ id: string; current: boolean }> }>("GET", "/auth/sessions");
  expect(sessions.status).toBe(200);
  const other = sessions.body.items.find((s) => !s.current);
  await expectStatus(user.api.request("DELETE", `/auth/sessions/${other?.id ?? "none"}`), 200, "revoke session");
  await expectStatus(
    user.api.request("POST", "/auth/password", { currentPassword: PASSWORD, newPassword: `${PASSWORD}-2` }),
    200,
    "password change",
  );
  const fresh = h.api.as(ok(await h.api.auth.login({ login: user.email, password: `${PASSWORD}-2` })).accessToken);
  await expectStatus(h.api.request("POST", "/auth/password/forgot", { email: user.email }), 202, "forgot");
  await expectStatus(fresh.request("POST", "/auth/email/verification", {}), 202, "verification mail");
  await expectStatus(
    fresh.request("POST", "/auth/email", { newEmail: `new_${user.email}`, password: `${PASSWORD}-2` }),
    202,
    "email change",
  );
  const setup = await fresh.request<{ secret: string }>("POST", "/auth/mfa/setup", {});
  expect(setup.status).toBe(200);
  await expectStatus(
    fresh.request("POST", "/auth/mfa/enable", { code: totpCode(setup.body.secret, Date.now()) }),
    200,
    "mfa enable",
  );
  await expectStatus(
    fresh.request("POST", "/auth/mfa/disable", {
      password: `${PASSWORD}-2`,
      code: totpCode(setup.body.secret, Date.now() + 30_000),
    }),
    200,
    "mfa disable",
  );
  await expectStatus(h.api.request("GET", `/users/${user.id}/roles`), 200, "roles");
  await expectStatus(asAdmin.request("PUT", `/auth/users/${user.id}/roles/editor`), 200, "grant");
  await expectStatus(asAdmin.request("DELETE", `/auth/users/${user.id}/roles/editor`), 200, "remove role");
  await expectStatus(asAdmin.request("POST", "/auth/keys/rotate", {}), 200, "rotate");
  await expectStatus(asAdmin.request("DELETE", `/users/${victim.id}`), 200, "delete other");
  const last = h.api.as(ok(await h.api.auth.login({ login: user.email, password: `${PASSWORD}-2` })).accessToken);
  await expectStatus(last.request("POST", "/auth/logout-all", {}), 200, "logout all");
  const final = ok(await h.api.auth.login({ login: user.email, password: `${PASSWORD}-2` }));
  await expectStatus(h.api.as(final.accessToken).request("POST", "/auth/logout", {}), 200, "logout");
  const closing = h.api.as(ok(await h.api.auth.login({ login: user.email, password: `${PASSWORD}-2` })).accessToken);
  await expectStatus(closing.request("DELETE", "/me", { password: `${PASSWORD}-2` }), 200, "delete me");

  expect(h.responses?.violationsOf("identity.")).toEqual([]);
  // Only the two operations that need a token from a mail are left (account-email.test.ts calls them).
  expect(h.responses?.unanswered("identity.")).toEqual([
    "POST /api/v1/auth/email/verify",
    "POST /api/v1/auth/password/reset",
  ]);
});
