/**
 * Every /channels operation called for real, each answer checked against the
 * status and body schema the OpenAPI document declares (issue 9).
 */
import { ok } from "../../../helpers/api-client";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

let h: CoreHarness;

beforeAll(async () => {
  h = await startCore({}, [], { checkResponses: true });
});
afterAll(() => h?.stop());

it("answers every /channels operation with its declared status and body", async () => {
  const [owner, helper, admin] = await Promise.all([newUser(h, "chown"), newUser(h, "chhelp"), newUser(h, "chadm")]);
  await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
  const asAdmin = h.api.as(ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken);

  const slug = `doc-${Date.now().toString(36)}`;
  const created = await owner.api.request<{ channel: { id: string } }>("POST", "/channels", { slug, title: "Doc" });
  expect(created.status).toBe(201);
  const id = created.body.channel.id;
  const calls: Array<[string, string, unknown?]> = [
    ["GET", "/channels"],
    ["GET", `/channels/by-slug/${slug}`],
    ["GET", `/channels/${id}`],
    ["PATCH", `/channels/${id}`, { title: "Doc, renamed", tags: ["doc"] }],
    ["POST", `/channels/${id}/stream-key`, {}],
    ["GET", `/channels/${id}/chat-policy`],
    ["PUT", `/channels/${id}/moderators/${helper.id}`],
    ["DELETE", `/channels/${id}/moderators/${helper.id}`],
    ["PUT", `/channels/${id}/vips/${helper.id}`],
    ["DELETE", `/channels/${id}/vips/${helper.id}`],
  ];
  for (const [method, path, body] of calls)
    expect({ method, path, status: (await owner.api.request(method, path, body)).status }).toEqual({
      method,
      path,
      status: 200,
    });
  expect((await asAdmin.request("PUT", `/channels/${id}/suspension`, { reason: "documented" })).status).toBe(200);
  expect((await asAdmin.request("DELETE", `/channels/${id}/suspension`)).status).toBe(200);
  expect((await h.api.request("GET", "/channels/by-slug/no-such-channel-at-all")).status).toBe(404);

  expect(h.responses?.violationsOf("channels.")).toEqual([]);
  expect(h.responses?.unanswered("channels.")).toEqual([]);
});
