/**
 * The users lists (following, followers, blocks) are cursor pages: paging
 * through gives every row exactly once, a follow made mid-way does not shift
 * the pages after it (an offset page would repeat a row), and a cursor the
 * server did not make is a 400.
 */
import { encodeCursor, type CursorPage } from "../../../../lib/pagination";
import { ok, type Result } from "../../../helpers/api-client";
import { allPages, idsOf } from "../../../helpers/pages";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(120000);

const OWNERS = 6;

describe("users lists page with cursors (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  let owners: TestUser[];
  let fan: TestUser;
  let channelIds: string[];

  beforeAll(async () => {
    h = await startCore();
    owners = [];
    // A few at a time: password hashing on a shared machine.
    for (let i = 0; i < OWNERS; i += 3)
      owners.push(...(await Promise.all([0, 1, 2].map((j) => newUser(h, `pg${i + j}`)))));
    fan = await newUser(h, "pgfan");
    channelIds = [];
    for (const [i, owner] of owners.entries()) {
      const created = ok(
        await owner.api.channels.create({ slug: `pg-${i}-${Date.now().toString(36)}`, title: "P" }),
        201,
      );
      channelIds.push(created.channel.id);
    }
    // One at a time, so created_at orders them.
    for (const id of channelIds) ok(await fan.api.channels.follow(id));
    for (const owner of owners.slice(1)) ok(await owner.api.channels.follow(channelIds[0]));
  });
  afterAll(() => h?.stop());

  const pagesOf = async <T>(get: (cursor: string | undefined) => Promise<Result<CursorPage<T>>>, from?: string) =>
    allPages(async (cursor) => ok(await get(cursor)), { from });

  it("pages /me/following and /users/:id/following: every follow once, newest first", async () => {
    for (const get of [
      (cursor?: string) => fan.api.me.following({ limit: 2, cursor }),
      (cursor?: string) => owners[0].api.users.following(fan.id, { limit: 2, cursor }),
    ]) {
      const pages = await pagesOf(get);
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2]);
      expect(pages[2].nextCursor).toBeNull();
      expect(idsOf(pages, (f) => f.channel.id)).toEqual([...channelIds].reverse());
    }
  });

  it("keeps later pages unchanged when a follow arrives mid-way", async () => {
    const first = ok(await h.api.channels.followers(channelIds[0], { limit: 3 }));
    expect(first.items).toHaveLength(3);
    const late = await newUser(h, "pglate");
    ok(await late.api.channels.follow(channelIds[0]));
    const rest = await pagesOf(
      (cursor) => h.api.channels.followers(channelIds[0], { limit: 3, cursor }),
      first.nextCursor!,
    );
    const seen = idsOf([first, ...rest], (f) => f.user.id);
    // The late follower is newer than the cursor: not in the later pages, and nothing repeats or goes missing.
    expect(seen).toEqual([fan.id, ...owners.slice(1).map((o) => o.id)].reverse());
    expect(ok(await h.api.channels.followers(channelIds[0], { limit: 1 })).items[0]?.user.id).toBe(late.id);
  });

  it("pages /me/blocks", async () => {
    const blocker = owners[OWNERS - 1];
    const blocked = [...owners.slice(0, OWNERS - 1), fan];
    for (const user of blocked) ok(await blocker.api.me.block(user.id));
    const pages = await pagesOf((cursor) => blocker.api.me.blocks({ limit: 4, cursor }));
    expect(pages.map((p) => p.items.length)).toEqual([4, 2]);
    expect(idsOf(pages, (b) => b.user.id)).toEqual(blocked.map((u) => u.id).reverse());
  });

  it.each([
    ["not a cursor", "%%%"],
    ["a cursor of another shape", encodeCursor(["x"])],
    ["a forged timestamp", encodeCursor(["yesterday", "x"])],
    ["a number for a timestamp", encodeCursor([1, "x"])],
  ])("answers 400 for %s", async (_what, cursor) => {
    for (const res of [
      await fan.api.me.following({ cursor }),
      await h.api.channels.followers(channelIds[0], { cursor }),
      await owners[0].api.me.blocks({ cursor }),
      await h.api.users.following(fan.id, { cursor }),
    ]) {
      expect(res.status).toBe(400);
    }
  });

  it("answers 400 for a limit out of range and for the old offset parameter", async () => {
    expect((await fan.api.me.following({ limit: 0 })).status).toBe(400);
    expect((await fan.api.me.following({ limit: 101 })).status).toBe(400);
    expect((await fan.api.request("GET", "/me/following?offset=2")).status).toBe(400);
  });
});
