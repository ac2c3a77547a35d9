/**
 * A suspended account's content leaves search, suggest and trending while
 * the suspension lasts and comes back when it is lifted (identity's durable
 * user.suspended / user.unsuspended); a late copy of an older event changes
 * nothing. Real PostgreSQL, real gateway.
 */
import type { SearchResult } from "../../../../services/content/search/search-query";
import { startSearch, type SearchHarness } from "./search-harness";

jest.setTimeout(60000);

let h: SearchHarness;
const ids = async (query: string) => {
  const res = await h.api.request<SearchResult>("GET", `/search?${query}`);
  if (res.status !== 200) throw new Error(`${query}: ${res.status}`);
  return res.body.items.map((i) => `${i.type}:${i.id}`).sort();
};
const suggested = async (q: string) =>
  ((await h.api.request<{ items: { id: string }[] }>("GET", `/search/suggest?q=${q}`)).body.items ?? []).map(
    (i) => i.id,
  );

beforeAll(async () => {
  h = await startSearch();
  const at = new Date().toISOString();
  await h.handled([
    await h.deliver("user.registered", {
      userId: "zorblax",
      username: "zorblax",
      displayName: "Zorblax",
      email: null,
      source: "oidc",
      registeredAt: at,
    }),
    await h.deliver("channel.created", {
      channelId: "zc1",
      ownerId: "zorblax",
      slug: "zorblax-plays",
      title: "Zorblax plays",
      category: null,
      createdAt: at,
    }),
    await h.deliver("channel.created", {
      channelId: "zc2",
      ownerId: "someone-else",
      slug: "zorblax-fans",
      title: "Zorblax fans",
      category: null,
      createdAt: at,
    }),
  ]);
});
afterAll(() => h?.stop());

it("hides everything a suspended account owns, and shows it again once lifted (in version order)", async () => {
  const all = ["channel:zc1", "channel:zc2", "user:zorblax"];
  expect(await ids("q=zorblax")).toEqual(all);
  const suspend = (version: number) =>
    h.deliver("user.suspended", {
      userId: "zorblax",
      reason: "spam",
      reportId: null,
      suspendedAt: new Date().toISOString(),
      version,
    });
  const lift = (version: number) =>
    h.deliver("user.unsuspended", { userId: "zorblax", unsuspendedAt: new Date().toISOString(), version });

  await h.handled([await suspend(1)]);
  expect(await ids("q=zorblax")).toEqual(["channel:zc2"]);
  expect(await ids("q=zorblax&type=channel")).toEqual(["channel:zc2"]);
  expect(await suggested("zorbl")).toEqual(["zc2"]);
  // A stale lift (older than the suspension) does not bring it back.
  await h.handled([await lift(0)]);
  expect(await ids("q=zorblax")).toEqual(["channel:zc2"]);

  await h.handled([await lift(2)]);
  expect(await ids("q=zorblax")).toEqual(all);
  // And the suspension that came before the lift, delivered late, changes nothing.
  await h.handled([await suspend(1)]);
  expect(await ids("q=zorblax")).toEqual(all);
});
