/**
 * Every profile, follow and block operation called for real, each answer
 * checked against the status and body schema the OpenAPI document declares
 * (issue 9).
 */
import { ok } from "../../../helpers/api-client";
import { newUser, PASSWORD, startCore, type CoreHarness } from "../core-harness";

let h: CoreHarness;

beforeAll(async () => {
  h = await startCore({}, [], { checkResponses: true });
});
afterAll(() => h?.stop());

it("answers every users operation with its declared status and body", async () => {
  const [alice, bob, admin] = await Promise.all([newUser(h, "ualice"), newUser(h, "ubob"), newUser(h, "uadm")]);
  await h.broker.call("identity.grantRole", { userId: admin.id, role: "admin" });
  const asAdmin = h.api.as(ok(await h.api.auth.login({ login: admin.email, password: PASSWORD })).accessToken);
  const created = await alice.api.request<{ channel: { id: string } }>("POST", "/channels", {
    slug: `ud-${Date.now().toString(36)}`,
    title: "Users doc",
  });
  const channelId = created.body.channel.id;
  const follow = `/channels/${channelId}/follow`;
  const calls: Array<[typeof bob.api, string, string, unknown?]> = [
    [bob.api, "GET", `/users/${alice.id}`],
    [bob.api, "GET", `/users/by-username/${alice.username}`],
    [asAdmin, "GET", `/users/${alice.id}/private`],
    [bob.api, "GET", "/me"],
    [bob.api, "PATCH", "/me", { bio: "Documented" }],
    [bob.api, "PATCH", "/me/preferences", { language: "en" }],
    [bob.api, "GET", follow],
    [bob.api, "PUT", follow],
    [bob.api, "GET", "/me/following"],
    [bob.api, "GET", `/users/${bob.id}/following`],
    [bob.api, "GET", `/channels/${channelId}/followers`],
    [bob.api, "DELETE", follow],
    [bob.api, "PUT", `/me/blocks/${alice.id}`],
    [bob.api, "GET", "/me/blocks"],
    [bob.api, "DELETE", `/me/blocks/${alice.id}`],
  ];
  for (const [client, method, path, body] of calls)
    expect({ method, path, status: (await client.request(method, path, body)).status }).toEqual({
      method,
      path,
      status: 200,
    });
  expect((await h.api.request("GET", "/users/by-username/nobody_at_all_here")).status).toBe(404);

  expect(h.responses?.violationsOf("users.")).toEqual([]);
  expect(h.responses?.unanswered("users.")).toEqual([]);
});
