/**
 * The JWKS, OIDC discovery and data-export operations called for real, each
 * answer checked against the status and body schema the OpenAPI document
 * declares (issue 9): the export with every service that contributes a
 * section running, so each section meets the schema; then the mail and MFA
 * operations identity-sessions.test.ts does not call (the two that need a
 * mailed token are in account-email.test.ts).
 */
import type { ServiceSchema } from "moleculer";
import { checkJsonSchema } from "../../../../lib/http/json-schema-check";
import { USER_DATA_SERVICES } from "../../../../lib/contracts/user-data";
import BlogService from "../../../../services/content/blog/blog.service";
import TournamentsService from "../../../../services/content/tournaments/tournaments.service";
import type { AccountExport } from "../../../../services/core/identity/account-export";
import { ACCOUNT_EXPORT, JWKS } from "../../../../services/core/identity/identity.responses";
import { totpCode } from "../../../../services/core/identity/totp";
import ModerationService from "../../../../services/core/moderation/moderation.service";
import SchedulesService from "../../../../services/core/schedules/schedules.service";
import ChatService from "../../../../services/media/chat/chat.service";
import ClipsService from "../../../../services/media/clips/clips.service";
import StreamsService from "../../../../services/media/streams/streams.service";
import VideosService from "../../../../services/media/videos/videos.service";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";
import { seedEveryExportList } from "./export-fixture";

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

it("answers GET /me/export with a record in every list of every section, each matching the declared schema", async () => {
  const [user, other] = await Promise.all([newUser(h, "rexp"), newUser(h, "rexo")]);
  const seeded = await seedEveryExportList(h, user, other);
  const res = await user.api.request<AccountExport>("GET", "/me/export");
  expect(res.status).toBe(200);
  const services = res.body.services as Record<string, Record<string, unknown>>;
  expect(Object.keys(services).sort()).toEqual([...USER_DATA_SERVICES]);
  const empty = Object.entries(services).flatMap(([service, section]) =>
    Object.entries(section)
      .filter(([, records]) => records === null || (Array.isArray(records) && records.length === 0))
      .map(([list]) => `${service}.${list}`),
  );
  expect(empty).toEqual([]);
  // Who moderated the user's lines is the moderator's data: no id of theirs in the user's archive.
  for (const list of [
    services.chat.messages,
    services.videos.comments,
    services.blog.comments,
    services.moderation.actionsReceived,
  ])
    expect(JSON.stringify(list)).not.toContain(other.id);
  // Nor any other private data of another user.
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(other.email);

  // Our infrastructure's bookkeeping stays out: none of its fields, none of the values seeded into them.
  const leftOut: Record<string, string[]> = {
    "streams.sessions": ["provider", "nodeId", "connectionId", "viewersSampledAt", "recordingKey"],
    "videos.videos": ["sourceId", "sourceKey", "masterPlaylistKey", "thumbnailKey", "listedAt"],
    "clips.clips": ["sourceKey", "storageKey", "thumbnailKey", "attempts", "leaseOwner", "leaseUntil"],
    "blog.posts": ["coverKey", "renderedWith"],
    "users.profile": ["externalSubject"],
    "identity.suspension": ["suspendedBy", "version"],
  };
  const present = Object.entries(leftOut).flatMap(([list, fields]) => {
    const [service, name] = list.split(".") as [string, string];
    const records = [services[service]![name]].flat() as object[];
    return records.flatMap((record) => fields.filter((field) => field in record).map((field) => `${list}.${field}`));
  });
  expect(present).toEqual([]);
  const [video] = services.videos.videos as Array<{ renditions: object[] }>;
  expect(video!.renditions).toEqual([{ name: "720p", width: 1280, height: 720, bandwidth: 2_800_000 }]);
  expect(seeded.values.filter((value) => text.includes(value))).toEqual([]);

  // Every record meets its schema: the gateway's response check saw the same body.
  const defs = { ...ACCOUNT_EXPORT.defs };
  expect(checkJsonSchema(res.body, ACCOUNT_EXPORT.json, defs)).toEqual([]);
  // The schema can fail: an unknown service, a list that is not records, a record field renamed or added (a
  // bookkeeping field among them).
  const withSection = (service: string, section: unknown) => ({
    ...res.body,
    services: { ...services, [service]: section },
  });
  const [post] = services.blog.posts as Array<Record<string, unknown>>;
  const { title, ...untitled } = post!;
  for (const wrong of [
    withSection("elsewhere", {}),
    withSection("channels", { ...services.channels, channels: "x" }),
    withSection("blog", { ...services.blog, posts: [{ ...untitled, headline: title }] }),
    withSection("channels", {
      ...services.channels,
      channels: [{ ...(services.channels.channels as object[])[0], streamKeyHash: "h" }],
    }),
    withSection("streams", { sessions: [{ ...(services.streams.sessions as object[])[0], nodeId: "node-1" }] }),
  ])
    expect(checkJsonSchema(wrong, ACCOUNT_EXPORT.json, defs)).not.toEqual([]);

  expect(h.responses?.violationsOf("identity.")).toEqual([]);
  expect(h.responses?.unanswered("identity.")).not.toContain("GET /api/v1/me/export");
});

it("answers the operations identity-sessions.test.ts leaves (mail and MFA) with their declared status and body", async () => {
  const user = await newUser(h, "rid");
  const expectStatus = async (call: Promise<{ status: number }>, status: number, what: string) =>
    expect({ what, status: (await call).status }).toEqual({ what, status });

  await expectStatus(h.api.request("POST", "/auth/password/forgot", { email: user.email }), 202, "forgot");
  await expectStatus(user.api.request("POST", "/auth/email/verification", {}), 202, "verification mail");
  await expectStatus(
    user.api.request("POST", "/auth/email", { newEmail: `new_${user.email}`, password: PASSWORD }),
    202,
    "email change",
  );
  const setup = await user.api.request<{ secret: string }>("POST", "/auth/mfa/setup", {});
  expect(setup.status).toBe(200);
  await expectStatus(
    user.api.request("POST", "/auth/mfa/enable", { code: totpCode(setup.body.secret, Date.now()) }),
    200,
    "mfa enable",
  );
  await expectStatus(
    user.api.request("POST", "/auth/mfa/disable", {
      password: PASSWORD,
      code: totpCode(setup.body.secret, Date.now() + 30_000),
    }),
    200,
    "mfa disable",
  );

  expect(h.responses?.violationsOf("identity.")).toEqual([]);
  const answered = ["/auth/password/forgot", "/auth/email/verification", "/auth/email", "/auth/mfa/disable"];
  for (const path of answered) expect(h.responses?.unanswered("identity.")).not.toContain(`POST /api/v1${path}`);
});
