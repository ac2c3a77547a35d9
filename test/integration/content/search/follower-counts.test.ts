/**
 * Search hits carry the channel's follower count as it is now: follows and
 * unfollows through the real users and channels services reach the search
 * index as channel.followers.changed (real PostgreSQL, events over NATS
 * JetStream). Before, search never heard of follows: a followed channel's
 * hit said `followers: 0` until a reindex. The count is absolute and
 * versioned, so an older count delivered after a newer one (late, or again
 * under another id) leaves the newer one in place.
 */
import { Client } from "pg";
import type { ServiceSchema } from "moleculer";
import { ok } from "../../../helpers/api-client";
import { NATS_URL, uniqueId, waitFor } from "../../../helpers/infra";
import { cleanupNats } from "../../mixins/durable-events/helpers/cleanup";
import type { DurableEnvelope } from "../../../../mixins/durable-events";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import SearchService from "../../../../services/content/search/search.service";
import { searchRoutes } from "../../../../services/content/search/search.routes";
import type { SearchResult } from "../../../../services/content/search/search-query";
import { newUser, startCore, type CoreHarness, type TestUser } from "../../core/core-harness";

jest.setTimeout(120000);

let h: CoreHarness;
let pg: Client;
let fans: TestUser[];

beforeAll(async () => {
  // The spec polls search until the hit changes: the per-IP search budget must not be what it waits on.
  const env = {
    DURABLE_EVENTS_URL: NATS_URL,
    RATE_LIMIT_SEARCH_PER_IP: "1000000",
    RATE_LIMIT_SEARCH_PER_USER: "1000000",
  };
  // The harness takes untyped schemas; ServiceSchema<SearchSettings> does not convert directly (as search-harness.ts).
  h = await startCore(env, [SearchService as unknown as ServiceSchema], { routes: [searchRoutes] });
  pg = new Client({ connectionString: h.db?.url });
  await pg.connect();
  fans = [await newUser(h, "sfan"), await newUser(h, "sfan"), await newUser(h, "sfan")];
});

afterAll(async () => {
  await pg?.end();
  await h?.stop();
  if (h) await cleanupNats(NATS_URL, h.config.namespace);
});

/** A channel with a title word no other document has, indexed by search. */
async function indexedChannel(): Promise<{ id: string; word: string }> {
  const owner = await newUser(h, "sown");
  const word = uniqueId("fw").toLowerCase();
  const id = ok(await owner.api.channels.create({ slug: uniqueId("sf"), title: `Counted ${word}` }), 201).channel.id;
  await followersInSearch(word, 0);
  return { id, word };
}

/** The followers of the channel's hit once search shows `expected` (fails with the last seen value otherwise). */
async function followersInSearch(word: string, expected: number): Promise<void> {
  let seen: number | undefined;
  await waitFor(
    async () => {
      const res = await h.api.request<SearchResult>("GET", `/search?q=${word}&type=channel`);
      if (res.status !== 200) throw new Error(`search ${word}: ${res.status}`);
      seen = res.body.items[0]?.followers;
      return seen === expected;
    },
    { what: `the hit of "${word}" showing ${expected} followers`, timeoutMs: 20000, intervalMs: 100 },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)} (last seen: ${String(seen)})`);
  });
}

/** The follower-count events the channels service published for a channel, oldest version first. */
async function countEvents(channelId: string): Promise<Array<DurableEnvelope<"channel.followers.changed">>> {
  const { rows } = await pg.query<{ envelope: DurableEnvelope<"channel.followers.changed"> }>(
    `SELECT envelope FROM channels.outbox
      WHERE type = 'channel.followers.changed' AND envelope->'payload'->>'channelId' = $1
      ORDER BY (envelope->'payload'->>'followerVersion')::bigint`,
    [channelId],
  );
  return rows.map((r) => r.envelope);
}

async function handledBySearch(eventId: string): Promise<void> {
  await waitFor(
    async () =>
      (
        await pg.query("SELECT 1 FROM search.processed_events WHERE consumer_group = 'search' AND event_id = $1", [
          eventId,
        ])
      ).rowCount === 1,
    { what: `search handled ${eventId}`, timeoutMs: 20000 },
  );
}

it("shows follows and unfollows in the channel's search hit", async () => {
  const channel = await indexedChannel();
  ok(await fans[0].api.channels.follow(channel.id));
  ok(await fans[1].api.channels.follow(channel.id));
  await followersInSearch(channel.word, 2);
  expect(ok(await h.api.channels.get(channel.id)).followerCount).toBe(2);

  ok(await fans[0].api.channels.unfollow(channel.id));
  await followersInSearch(channel.word, 1);
  ok(await fans[1].api.channels.unfollow(channel.id));
  await followersInSearch(channel.word, 0);
});

it("keeps the newer count when an older one is delivered after it", async () => {
  const channel = await indexedChannel();
  for (const fan of fans) ok(await fan.api.channels.follow(channel.id));
  await followersInSearch(channel.word, 3);
  const events = await countEvents(channel.id);
  expect(events.map((e) => [e.payload.followerVersion, e.payload.followerCount])).toEqual([
    [1, 1],
    [2, 2],
    [3, 3],
  ]);

  // The count of 1 arrives late, as an event search never saw (another id), stamped by a channels node whose clock
  // runs a minute ahead (so the time alone would let it win); and the count of 2 again under its own id.
  const runtime = getRuntime(h.broker);
  const skewed = { ...events[0].payload, changedAt: new Date(Date.now() + 60_000).toISOString() };
  const late = createEnvelope("channel.followers.changed", skewed, "channels", new Date(Date.now() + 60_000));
  await runtime.publish(late);
  await runtime.publish(events[1]);
  await handledBySearch(late.id);
  // Read from the index itself too: a cached answer must not hide a stale count.
  const { rows } = await pg.query<{ followers: number }>("SELECT followers FROM search.documents WHERE id = $1", [
    `channel:${channel.id}`,
  ]);
  expect(rows[0]?.followers).toBe(3);
  await followersInSearch(channel.word, 3);

  // A newer count still applies after the stale ones.
  ok(await fans[2].api.channels.unfollow(channel.id));
  await followersInSearch(channel.word, 2);
});
