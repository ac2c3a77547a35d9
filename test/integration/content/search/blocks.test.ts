/**
 * Blocks both ways, against the real users service on PostgreSQL with the
 * Redis result cache on: a signed-in searcher sees nothing owned by someone
 * they blocked or who blocked them (search, suggest, trending), anonymous
 * and unrelated searchers see everything, a cached answer never crosses
 * from one hidden set to another, and an unblock shows the owner again at once.
 */
import type { ServiceSchema } from "moleculer";
import { callAction } from "../../../../lib/contracts";
import type { SearchResult } from "../../../../services/content/search/search-query";
import type { SuggestResult, TrendingResult } from "../../../../services/content/search/suggest-trending";
import ChannelsService from "../../../../services/core/channels/channels.service";
import UsersService from "../../../../services/core/users/users.service";
import { REDIS_URL, uniqueId, waitFor } from "../../../helpers/infra";
import { startSearch, type SearchHarness } from "./search-harness";
import "../../../../services/core/users/users.contract";

let h: SearchHarness;
const run = uniqueId("blk").replace(/[^A-Za-z0-9_-]/g, "");
const viewer = `${run}-viewer`;
const blocked = `${run}-blocked`; // the viewer blocked them
const blocker = `${run}-blocker`; // they blocked the viewer
const other = `${run}-other`;
const asUser = (id: string) => ({ meta: { user: { id, username: id, roles: [] } } });

async function get<T>(path: string, as?: string): Promise<T> {
  const api = as ? h.api.as(await h.token(as)) : h.api;
  const res = await api.request<T>("GET", path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const owners = async (path: string, as?: string) =>
  (await get<SearchResult | SuggestResult>(path, as)).items.map((i) => i.ownerId).sort();

beforeAll(async () => {
  h = await startSearch({
    env: { REDIS_URL, SEARCH_CACHE_TTL_MS: "60000" },
    extraServices: [UsersService as ServiceSchema, ChannelsService as ServiceSchema],
  });
  // People are indexed from users' own user.provisioned (no user.registered is delivered here).
  for (const id of [viewer, blocked, blocker, other])
    await callAction(h.broker, "users.provision", { id, username: id, displayName: "Blockade Person" });
  const events: string[] = [];
  for (const owner of [blocked, blocker, other]) {
    const channelId = `${owner}-ch`;
    events.push(
      await h.deliver("channel.created", {
        channelId,
        ownerId: owner,
        slug: channelId,
        title: `Blockade Arena ${owner.slice(-7)}`,
        category: "Chess",
        createdAt: "",
      }),
      await h.deliver("stream.started", {
        sessionId: `${owner}-s`,
        channelId,
        ownerId: owner,
        title: `Blockade live ${owner.slice(-7)}`,
        category: "Chess",
        language: "en",
        startedAt: new Date().toISOString(),
      }),
    );
  }
  await h.handled(events);
  await waitFor(async () => (await owners("/search?q=blockade%20person&type=user")).length === 4, {
    what: "provisioned users indexed",
  });
  await callAction(h.broker, "users.block", { userId: blocked }, asUser(viewer));
  await callAction(h.broker, "users.block", { userId: viewer }, asUser(blocker));
});
afterAll(async () => {
  await h?.stop();
});

it("answers the block relations of many users both ways in one call", async () => {
  const relations = await callAction(h.broker, "users.blockRelations", { userIds: [viewer, blocked, other] });
  expect(relations).toEqual({
    [viewer]: { blockedIds: [blocked], blockedByIds: [blocker] },
    [blocked]: { blockedIds: [], blockedByIds: [viewer] },
    [other]: { blockedIds: [], blockedByIds: [] },
  });
});

it("hides from search, suggest and trending what the searcher blocked and who blocked them", async () => {
  // Each owner has a channel, its live stream and their person document.
  const everyone = [viewer, ...[blocked, blocker, other].flatMap((o) => [o, o, o])].sort();
  const visible = [viewer, other, other, other].sort();
  // Anonymous first: its answer is cached and must not be what the viewer gets.
  expect(await owners("/search?q=blockade")).toEqual(everyone);
  expect(await owners("/search?q=blockade", viewer)).toEqual(visible);
  expect(await owners("/search?q=blockade", other)).toEqual(everyone);
  expect(await owners("/search/suggest?q=blocka&limit=20", viewer)).toEqual(visible);
  const trending = await get<TrendingResult>("/search/trending?category=Chess", viewer);
  expect(trending.live.map((s) => s.ownerId)).toEqual([other]);
  // The facets count what the viewer may see only.
  expect((await get<SearchResult>("/search?q=blockade", viewer)).facets?.type).toEqual([
    { value: "user", count: 2 },
    { value: "channel", count: 1 },
    { value: "stream", count: 1 },
  ]);
});

it("shows an owner again as soon as the searcher unblocks them", async () => {
  expect(await owners("/search?q=blockade&type=channel", viewer)).toEqual([other]);
  await callAction(h.broker, "users.unblock", { userId: blocked }, asUser(viewer));
  expect(await owners("/search?q=blockade&type=channel", viewer)).toEqual([blocked, other].sort());
});

it("hides an owner as soon as the searcher blocks them, though their relations were just read (kept per user)", async () => {
  // The viewer's relations are fresh in search's per-user cache (read by the searches above).
  expect(await owners("/search?q=blockade&type=channel", viewer)).toEqual([blocked, other].sort());
  expect(await owners("/search/suggest?q=blocka&type=channel", viewer)).toEqual([blocked, other].sort());
  await callAction(h.broker, "users.block", { userId: other }, asUser(viewer));
  expect(await owners("/search?q=blockade&type=channel", viewer)).toEqual([blocked]);
  expect(await owners("/search/suggest?q=blocka&type=channel", viewer)).toEqual([blocked]);
  // The other side of the block too: `other` no longer sees the viewer.
  expect(await owners("/search?q=blockade%20person&type=user", other)).not.toContain(viewer);
});
