/**
 * GET /channels is a cursor page over a ranking (live first, then most
 * followed, then oldest): paging gives every channel exactly once, ties on
 * the ranking break by age and id, a channel created mid-way shows once, and
 * a cursor the server did not make is a 400.
 */
import { Client } from "pg";
import { encodeCursor } from "../../../../lib/pagination";
import { ok } from "../../../helpers/api-client";
import { allPages, idsOf } from "../../../helpers/pages";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(120000);

describe("channels list pages with cursors (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  let pg: Client;
  let users: TestUser[];
  const category = `pgcat${Date.now().toString(36)}`;
  let ids: string[];

  beforeAll(async () => {
    h = await startCore();
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    users = [];
    for (let i = 0; i < 7; i += 4)
      users.push(...(await Promise.all([0, 1, 2, 3].map((j) => newUser(h, `pgc${i + j}`)))));
    ids = [];
    // One at a time, so created_at orders them.
    for (const [i, user] of users.slice(0, 6).entries())
      ids.push(
        ok(await user.api.channels.create({ slug: `${category}-${i}`, title: `C${i}`, category }), 201).channel.id,
      );
    // Ranking values as the follow and stream events would leave them, set directly so ties are exact.
    const ranks: Array<[boolean, number]> = [
      [false, 0],
      [false, 2],
      [true, 0],
      [false, 5],
      [false, 2],
      [false, 0],
    ];
    for (const [i, [live, followers]] of ranks.entries())
      await pg.query("UPDATE channels.channels SET is_live = $2, follower_count = $3 WHERE id = $1", [
        ids[i],
        live,
        followers,
      ]);
  });
  afterAll(async () => {
    await pg?.end();
    await h?.stop();
  });

  it("pages every channel once, in rank order with ties by age", async () => {
    const pages = await allPages(async (cursor) => ok(await h.api.channels.list({ category, limit: 2, cursor })));
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2]);
    expect(idsOf(pages, (c) => c.id)).toEqual([ids[2], ids[3], ids[1], ids[4], ids[0], ids[5]]);
  });

  it("shows a channel created while paging exactly once", async () => {
    const first = ok(await h.api.channels.list({ category, limit: 4 }));
    const late = ok(await users[6].api.channels.create({ slug: `${category}-late`, title: "Late", category }), 201);
    const rest = await allPages(async (cursor) => ok(await h.api.channels.list({ category, limit: 4, cursor })), {
      from: first.nextCursor!,
    });
    const seen = idsOf([first, ...rest], (c) => c.id);
    expect(seen).toEqual([ids[2], ids[3], ids[1], ids[4], ids[0], ids[5], late.channel.id]);
  });

  it.each([
    ["not a cursor", "%%%"],
    ["a cursor of another list", encodeCursor(["2026-11-30 19:05:00+00", "x"])],
    ["a forged rank", encodeCursor(["yes", 1, "2026-11-30 19:05:00+00", "x"])],
  ])("answers 400 for %s", async (_what, cursor) => {
    expect((await h.api.channels.list({ category, cursor })).status).toBe(400);
  });

  it("answers 400 for the old offset parameter", async () => {
    expect((await h.api.request("GET", `/channels?category=${category}&offset=2`)).status).toBe(400);
  });
});
