import { ok } from "../../helpers/api-client";
import { newUser, PASSWORD, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

/** A 201 names what it created (and moleculer-web no longer warns "ctx.meta.$location is missing" on each one). */
describe("201 Created carries the new resource's Location", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  it("register and channel create answer 201 with a Location that reads the resource back", async () => {
    const registered = await h.api.auth.register({
      email: "loc@example.test",
      username: "loc_user",
      password: PASSWORD,
    });
    expect(registered.status).toBe(201);
    const id = (registered.body as { id: string }).id;
    expect(registered.headers.get("location")).toBe(`/api/v1/users/${id}`);
    expect((await fetch(`${h.base}${registered.headers.get("location")}`)).status).toBe(200);

    const u = await newUser(h, "loc");
    const created = await u.api.channels.create({ slug: `loc-${u.id.slice(0, 8)}`, title: "Located" });
    const channel = ok(created, 201).channel;
    expect(created.headers.get("location")).toBe(`/api/v1/channels/${channel.id}`);
    const read = (await (await fetch(`${h.base}${created.headers.get("location")}`)).json()) as { id: string };
    expect(read.id).toBe(channel.id);
  });
});
