/**
 * A fixed corpus and the exact order a dozen queries must return (the
 * ranking rule of docs/search.md: match tier, live first, popularity, id).
 * Document ids are `<type>:<sourceId>`.
 */
import type { SearchHarness } from "./search-harness";

const T0 = Date.parse("2026-01-10T12:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const iso = (minutes: number) => at(minutes).toISOString();

function channel(id: string, title: string, category: string, tags: string[], language = "en") {
  return { id, ownerId: `owner-${id}`, slug: id, title, category, tags, language };
}

const CHANNELS = [
  channel("c1", "Valorant Ranked Grind", "Valorant", ["fps", "ranked"]),
  channel("c2", "Valorant Tips and Tricks", "Valorant", ["guide"]),
  channel("c3", "Speedrun Sundays", "Super Mario 64", ["speedrun", "any%"]),
  channel("c4", "Pokémon Café", "Pokémon", ["cozy"], "fr"),
  channel("c5", "Chill Minecraft builds", "Minecraft", ["building"]),
];

const VIDEOS = [
  ["v1", "Valorant Ace Montage", "Five kills in one round on Ascent", "Valorant", ["clips"], 300, "public"],
  [
    "v2",
    "How to speedrun Super Mario 64",
    "A beginner guide to speedrunning the castle",
    "Super Mario 64",
    ["speedrun", "guide"],
    1800,
    "public",
  ],
  ["v3", "Private valorant scrim", "Team practice", "Valorant", [], 900, "private"],
  ["v4", "Minecraft castle timelapse", "Building a castle block by block", "Minecraft", [], 600, "public"],
] as const;

/** Delivers the whole corpus (channels before the streams that copy their tags) and waits until it is indexed. */
export async function loadCorpus(h: SearchHarness): Promise<void> {
  const first: string[] = [];
  for (const c of CHANNELS) {
    first.push(
      await h.deliver(
        "channel.created",
        { channelId: c.id, ownerId: c.ownerId, slug: c.slug, title: c.title, category: c.category, createdAt: iso(0) },
        at(0),
      ),
    );
    first.push(
      await h.deliver(
        "channel.updated",
        {
          channelId: c.id,
          ownerId: c.ownerId,
          slug: c.slug,
          title: c.title,
          category: c.category,
          tags: c.tags,
          language: c.language,
          mature: false,
          changed: ["tags"],
          updatedAt: iso(1),
        },
        at(1),
      ),
    );
  }
  await h.handled(first);
  const rest: string[] = [];
  const live = [
    ["c1", "Road to Radiant: Valorant ranked", "Valorant"],
    ["c3", "Mario 64 any% attempts", "Super Mario 64"],
    ["c5", "Cozy Minecraft evening", "Minecraft"],
  ] as const;
  for (const [id, title, category] of live)
    rest.push(
      await h.deliver(
        "stream.started",
        {
          sessionId: `s-${id}`,
          channelId: id,
          ownerId: `owner-${id}`,
          title,
          category,
          language: "en",
          startedAt: iso(5),
        },
        at(5),
      ),
    );
  for (const [id, title, description, category, tags, durationS, visibility] of VIDEOS)
    rest.push(
      await h.deliver(
        "video.published",
        {
          videoId: id,
          channelId: "c2",
          ownerId: "owner-c2",
          title,
          description,
          category,
          tags: [...tags],
          visibility,
          durationS,
          liveSessionId: null,
          publishedAt: iso(10),
        },
        at(10),
      ),
    );
  const post = (postId: string, title: string, summary: string) => ({
    postId,
    blogId: "site",
    channelId: null,
    authorId: "editor",
    authorName: "Editor",
    title,
    slug: postId,
    summary,
    category: "News",
    tags: [],
    kind: "news" as const,
    reviewScore: null,
    visibility: "public" as const,
    url: `http://x/blog/site/${postId}`,
    version: 3,
    updatedAt: iso(20),
    publishedAt: iso(20),
    scheduled: false,
  });
  rest.push(
    await h.deliver(
      "post.published",
      post("p1", "Valorant patch 8.0 review", "Agents, maps and the new ranked changes"),
      at(20),
    ),
  );
  rest.push(
    await h.deliver(
      "post.published",
      post("p2", "Speedrunning history", "From Mario to Zelda, how speedrun records fell"),
      at(20),
    ),
  );
  const tournament = (tournamentId: string, name: string, game: string, status: "draft" | "registration_open") => ({
    tournamentId,
    organizerId: "org",
    name,
    game,
    category: game,
    format: "single_elimination" as const,
    status,
    startsAt: iso(600),
    updatedAt: iso(30),
  });
  rest.push(
    await h.deliver(
      "tournament.updated",
      tournament("t1", "Valorant Spring Cup", "Valorant", "registration_open"),
      at(30),
    ),
  );
  rest.push(
    await h.deliver(
      "tournament.created",
      { ...tournament("t2", "Draft Mario Cup", "Super Mario 64", "draft"), createdAt: iso(30) },
      at(30),
    ),
  );
  rest.push(
    await h.deliver(
      "user.registered",
      {
        userId: "u1",
        username: "valorant_queen",
        displayName: "ValorantQueen",
        email: null,
        source: "local",
        registeredAt: iso(40),
      },
      at(40),
    ),
  );
  rest.push(
    await h.deliver(
      "user.registered",
      { userId: "u2", username: "zoe", displayName: "Zoë Müller", email: null, source: "local", registeredAt: iso(40) },
      at(40),
    ),
  );
  await h.handled(rest);
  await h.viewers("c1", 500);
  await h.viewers("c3", 50);
  await h.viewers("c5", 10);
}

/** Query → exact expected order of `<type>:<id>`. */
export const EXPECTED: Array<[string, string[]]> = [
  ["q=valorant", ["channel:c1", "stream:c1", "channel:c2", "post:p1", "tournament:t1", "video:v1", "user:u1"]],
  // Only through the correction "valorant" (tier 0), so u1 (tag "valorant_queen") counts as much as the rest.
  ["q=valornt", ["channel:c1", "stream:c1", "channel:c2", "post:p1", "tournament:t1", "user:u1", "video:v1"]],
  ["q=spee", ["channel:c3", "post:p2", "video:v2", "stream:c3"]],
  ["q=pokemon%20cafe", ["channel:c4"]],
  ["q=POK%C3%89MON", ["channel:c4"]],
  ["q=zoe%20muller", ["user:u2"]],
  ["q=mario", ["stream:c3", "video:v2", "channel:c3", "post:p2"]],
  ["q=minecraft%20castle", ["video:v4"]],
  ["q=castle&type=video", ["video:v4", "video:v2"]],
  ["q=guide", ["channel:c2", "video:v2"]],
  ["q=ranked", ["channel:c1", "stream:c1", "post:p1"]],
  ["type=stream", ["stream:c1", "stream:c3", "stream:c5"]],
  ["type=channel&live=true", ["channel:c1", "channel:c3", "channel:c5"]],
  ["q=draft", []],
  ["q=private%20scrim", []],
];
