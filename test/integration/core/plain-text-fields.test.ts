import { ok } from "../../helpers/api-client";
import { newUser, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

/**
 * The attack run's channel-tag XSS and bidi findings, over the real gateway:
 * every user string a profile or channel stores follows the one plain-text
 * rule (lib/text), tags included, and keeps none of the characters chat
 * refuses.
 */
describe("user text fields: one plain-text rule (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  it("channel tags keep no markup: the stored and returned tags are plain text", async () => {
    const u = await newUser(h, "tag");
    const created = ok(
      await u.api.channels.create({
        slug: `tg-${u.id.slice(0, 8)}`,
        title: "Tags\u202e gnirts",
        category: "<i>fps</i>\u2067",
        tags: ["<svg/onload=alert(1)//", "Battle Royale", "<b>Ranked</b>", "x\u202ey"],
      }),
      201,
    ).channel;
    expect(created.tags).toEqual(["battle-royale", "ranked", "xy"]);
    expect(created.title).toBe("Tags gnirts");
    expect(created.category).toBe("fps");
    const updated = ok(await u.api.channels.update(created.id, { tags: ["<img src=x>speedrun"] }));
    expect(updated.tags).toEqual(["speedrun"]);
    expect(ok(await h.api.channels.get(created.id)).tags).toEqual(["speedrun"]);
  });

  it("display names, bios and link labels drop bidi controls, as chat refuses them", async () => {
    const u = await newUser(h, "bidi");
    const me = ok(
      await u.api.me.update({
        displayName: "admin\u202Enimda",
        bio: "hello\u2066 world\u2069\u200f",
        links: [{ label: "site\u202d", url: "https://example.test" }],
      }),
    );
    expect(me.displayName).toBe("adminnimda");
    expect(me.bio).toBe("hello world\u200f");
    expect(me.links).toEqual([{ label: "site", url: "https://example.test" }]);
    expect(ok(await h.api.users.get(u.id)).displayName).toBe("adminnimda");
  });
});
