import { ok } from "../../helpers/api-client";
import { newUser, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

/**
 * fastest-validator lets `null` through an optional field, so a PATCH with `null` where a string or a list
 * belongs reached the handler: `links: null` and a channel's `slug: null` were 500s. They are 400s naming
 * the field, and nothing changes.
 */
describe("null in an optional field of a PATCH (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  it("PATCH /me with links: null is a 400 on links and keeps the links", async () => {
    const u = await newUser(h, "nl");
    const links = [{ label: "site", url: "https://example.test" }];
    ok(await u.api.me.update({ links }));
    const res = await u.api.request<{ error: { code: string; details: { field?: string }[] } }>("PATCH", "/me", {
      links: null,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details.map((d) => d.field)).toEqual(["links"]);
    expect(ok(await h.api.users.get(u.id)).links).toEqual(links);
  });

  it("PATCH /channels/:id with slug: null is a 400 on slug and keeps the slug", async () => {
    const u = await newUser(h, "ns");
    const slug = `ns-${u.id.slice(0, 8)}`;
    const channel = ok(await u.api.channels.create({ slug, title: "Null slug" }), 201).channel;
    const res = await u.api.request<{ error: { code: string; details: { field?: string }[] } }>(
      "PATCH",
      `/channels/${channel.id}`,
      { slug: null },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_ERROR");
    expect(res.body.error.details.map((d) => d.field)).toEqual(["slug"]);
    expect(ok(await h.api.channels.get(channel.id)).slug).toBe(slug);
  });
});
