/**
 * Freshness and order on PostgreSQL with the Redis result cache on: a
 * document made private, deleted, ended or suspended leaves the results as
 * soon as its event is handled (cached entries included), and events of one
 * document delivered out of order never let an older one win.
 */
import type { SearchResult } from "../../../../services/content/search/search-query";
import type { SearchAnswer } from "../../../../services/content/search/search.context";
import type { SuggestResult } from "../../../../services/content/search/suggest-trending";
import { RedisResultCache } from "../../../../services/content/search/result-cache";
import { broadcastEvent } from "../../../../lib/contracts";
import { LocalResultCache } from "../../../../services/content/search/local-result-cache";
import { REDIS_URL, waitFor } from "../../../helpers/infra";
import { loadCorpus } from "./corpus";
import { startSearch, type SearchHarness } from "./search-harness";
import "../../../../services/core/channels/channels.events";

let h: SearchHarness;
const T0 = Date.parse("2026-01-10T12:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

async function search(query: string): Promise<SearchResult> {
  const res = await h.api.request<SearchResult>("GET", `/search?${query}`);
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
const ids = async (query: string) => (await search(query)).items.map((i) => `${i.type}:${i.id}`);
async function suggestTitles(q: string): Promise<string[]> {
  const res = await h.api.request<SuggestResult>("GET", `/search/suggest?q=${encodeURIComponent(q)}`);
  if (res.status !== 200) throw new Error(`suggest ${q}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items.map((i) => i.title);
}

beforeAll(async () => {
  h = await startSearch({ env: { REDIS_URL, SEARCH_CACHE_TTL_MS: "60000" } });
  await loadCorpus(h);
});
afterAll(async () => {
  await h?.stop();
});

const video = (videoId: string, title: string, visibility: "public" | "private") => ({
  videoId,
  channelId: "c2",
  ownerId: "owner-c2",
  title,
  description: "",
  category: "Valorant",
  tags: [],
  visibility,
  status: "ready" as const,
  updatedAt: new Date().toISOString(),
});

it("drops a video made private from cached results as soon as the event is handled", async () => {
  expect(await ids("q=ace%20montage")).toEqual(["video:v1"]);
  // Served from the cache now (60 s TTL): only the invalidation can make it change.
  expect(await ids("q=ace%20montage")).toEqual(["video:v1"]);
  const sent = Date.now();
  await h.handled([await h.deliver("video.updated", video("v1", "Valorant Ace Montage", "private"), at(60))]);
  expect(await ids("q=ace%20montage")).toEqual([]);
  // The whole path, event published to result gone, on this (shared, loaded) machine.
  console.info(`private video gone from results ${Date.now() - sent} ms after its event was published`);
});

it("never lets an older update overwrite a newer one, nor bring back a deleted document", async () => {
  await h.handled([await h.deliver("video.updated", video("v4", "Minecraft castle timelapse 4K", "public"), at(100))]);
  await h.handled([await h.deliver("video.updated", video("v4", "Old castle title", "public"), at(90))]);
  expect((await search("q=castle&type=video")).items[0]?.title).toBe("Minecraft castle timelapse 4K");

  await h.handled([
    await h.deliver("video.deleted", { videoId: "v2", channelId: "c2", ownerId: "owner-c2", deletedAt: "" }, at(200)),
  ]);
  await h.handled([await h.deliver("video.updated", video("v2", "How to speedrun Super Mario 64", "public"), at(150))]);
  expect(await ids("q=speedrun&type=video")).toEqual([]);

  // A late duplicate of an old start does not put an ended stream back.
  await h.handled([
    await h.deliver(
      "stream.ended",
      { sessionId: "s-c1", channelId: "c1", ownerId: "owner-c1", endedAt: "", durationS: 1, peakViewers: 1 },
      at(300),
    ),
  ]);
  const start = {
    sessionId: "s-c1",
    channelId: "c1",
    ownerId: "owner-c1",
    title: "Road to Radiant",
    category: "Valorant",
    language: "en",
    startedAt: "",
  };
  await h.handled([await h.deliver("stream.started", start, at(6))]);
  expect(await ids("type=stream")).toEqual(["stream:c3", "stream:c5"]);
  expect(await ids("q=valorant&live=true")).toEqual([]);

  // Posts are ordered by their own version, whatever the clock says.
  await h.handled([
    await h.deliver(
      "post.unpublished",
      { postId: "p1", blogId: "site", channelId: null, version: 5, updatedAt: "" },
      at(400),
    ),
  ]);
  const republished = {
    postId: "p1",
    blogId: "site",
    channelId: null,
    authorId: "editor",
    authorName: "Editor",
    title: "Valorant patch 8.0 review",
    slug: "p1",
    summary: "",
    category: null,
    tags: [],
    kind: "news" as const,
    reviewScore: null,
    visibility: "public" as const,
    url: "",
    version: 4,
    updatedAt: "",
    status: "published" as const,
    publishedAt: "",
  };
  await h.handled([await h.deliver("post.updated", republished, at(500))]);
  expect(await ids("q=patch")).toEqual([]);
});

it("hides a suspended channel and its stream at once, and shows them again when reinstated", async () => {
  const suspension = (suspended: boolean, minutes: number) =>
    h.deliver(
      suspended ? "channel.suspended" : "channel.unsuspended",
      { channelId: "c3", ownerId: "owner-c3", suspended, at: at(minutes).toISOString() },
      at(minutes),
    );
  expect(await ids("q=speedrun%20sundays")).toEqual(["channel:c3", "stream:c3"]);
  await h.handled([await suspension(true, 600)]);
  expect(await ids("q=speedrun%20sundays")).toEqual([]);
  // A late copy of an older reinstatement does not lift the newer suspension.
  await h.handled([await suspension(false, 590)]);
  expect(await ids("q=speedrun%20sundays")).toEqual([]);
  await h.handled([await suspension(false, 610)]);
  expect(await ids("q=speedrun%20sundays")).toEqual(["channel:c3", "stream:c3"]);
});

it("erases a deleted channel's and a deleted user's documents; late events do not bring them back", async () => {
  // c5: a channel with a live stream; owner-c2: owns channel c2 and its videos.
  expect(await ids("q=minecraft&type=channel")).toEqual(["channel:c5"]);
  expect(await ids("type=stream")).toContain("stream:c5");
  await h.handled([
    await h.deliver("channel.deleted", { channelId: "c5", ownerId: "owner-c5", slug: "c5", deletedAt: "" }, at(700)),
  ]);
  expect(await ids("q=minecraft&type=channel")).toEqual([]);
  expect(await ids("type=stream")).not.toContain("stream:c5");
  const channelDocs = await h.search.db.query<{ title: string; visible: boolean }>(
    "SELECT title, visible FROM documents WHERE id IN ('channel:c5', 'stream:c5')",
  );
  expect(channelDocs).toEqual([
    { title: "", visible: false },
    { title: "", visible: false },
  ]);

  expect((await ids("q=valorant")).filter((id) => ["channel:c2", "video:v1"].includes(id)).length).toBeGreaterThan(0);
  await h.handled([
    await h.deliver(
      "user.deleted",
      { userId: "owner-c2", username: "owner-c2", deletedBy: "self", deletedAt: "" },
      at(710),
    ),
  ]);
  const left = await h.search.db.query<{ id: string }>(
    "SELECT id FROM documents WHERE owner_id = 'owner-c2' AND (visible OR title <> '')",
  );
  expect(left).toEqual([]);
  // An older update of the deleted user's channel, delivered late, stays erased.
  await h.handled([
    await h.deliver(
      "channel.updated",
      {
        channelId: "c2",
        ownerId: "owner-c2",
        changed: ["title"],
        slug: "c2",
        title: "Valorant Tips Revived",
        category: "Valorant",
        tags: [],
        language: "en",
        mature: false,
        updatedAt: "",
      },
      at(705),
    ),
  ]);
  expect(await ids("q=revived")).toEqual([]);
});

it("drops this node's in-process answers when another search node invalidates", async () => {
  // A long-lived in-process layer over the same Redis layer, so only the signal can make it forget.
  const current = h.search.cache as LocalResultCache<SearchAnswer>;
  const announced: string[] = [];
  h.search.cache = new LocalResultCache(current.shared, 60_000, 100, async () => void announced.push("sent"));
  try {
    const titleOf = async () => (await search("q=pokemon%20cafe")).items[0]?.title;
    expect(await titleOf()).toBe("Pokémon Café");
    // What another node does: its own write, then a Redis bump; this node's answer is still the old one.
    await h.search.db.query("UPDATE documents SET title = 'Pokémon Café (renamed)' WHERE id = 'channel:c4'");
    await current.shared.invalidate();
    expect(await titleOf()).toBe("Pokémon Café");
    // This node's own signal is not taken for another's.
    await broadcastEvent(h.broker, "search.cache.invalidated", { nodeId: h.broker.nodeID });
    expect(await titleOf()).toBe("Pokémon Café");
    await broadcastEvent(h.broker, "search.cache.invalidated", { nodeId: "another-search-node" });
    await waitFor(async () => (await titleOf()) === "Pokémon Café (renamed)", { what: "the renamed title" });
    expect(announced).toEqual([]);
  } finally {
    h.search.cache = current;
  }
});

it("answers suggestions from the cache; a document leaving the results leaves them at once, an edit within the TTL", async () => {
  const suspension = (suspended: boolean, minutes: number) =>
    h.deliver(
      suspended ? "channel.suspended" : "channel.unsuspended",
      { channelId: "c4", ownerId: "owner-c4", suspended, at: at(minutes).toISOString() },
      at(minutes),
    );
  const rename = (title: string) =>
    h.search.db.query("UPDATE documents SET title = $1 WHERE id = 'channel:c4'", [title]);
  const [title] = await suggestTitles("pokemon caf");
  expect(title).toMatch(/^Pokémon Café/);
  // A write no event announced (what an edit looks like to the cache): the cached answer stands (60 s TTL).
  await rename(`${title} Deluxe`);
  expect(await suggestTitles("pokemon caf")).toEqual([title]);
  // Leaving the results invalidates every node's entries once the event is handled; so does coming back.
  await h.handled([await suspension(true, 700)]);
  expect(await suggestTitles("pokemon caf")).toEqual([]);
  await h.handled([await suspension(false, 710)]);
  expect(await suggestTitles("pokemon caf")).toEqual([`${title} Deluxe`]);

  // An edit of a visible document: shown within the cache's TTL (a short one here, both layers).
  const current = h.search.cache;
  const ttlMs = 600;
  const shared = new RedisResultCache<SearchAnswer>(REDIS_URL, `suggest-ttl-${Date.now()}`, ttlMs, {
    commandTimeoutMs: 1000,
  });
  h.search.cache = new LocalResultCache(shared, 200, 100, async () => undefined);
  try {
    expect(await suggestTitles("pokemon caf")).toEqual([`${title} Deluxe`]);
    await rename(`${title} Royale`);
    const edited = Date.now();
    expect(await suggestTitles("pokemon caf")).toEqual([`${title} Deluxe`]);
    await waitFor(async () => (await suggestTitles("pokemon caf"))[0] === `${title} Royale`, {
      what: "the edited title in suggestions",
    });
    // Polling adds a little; the bound is the TTL.
    expect(Date.now() - edited).toBeLessThan(ttlMs + 500);
  } finally {
    h.search.cache.close();
    h.search.cache = current;
  }
});
