/**
 * Issue 9, reliability 1: follower counts drifted upward with no fault at
 * all. channel.followed and channel.unfollowed travel on separate JetStream
 * streams with separate consumers, so an unfollow is often handled before its
 * follow. This reproduces the load (concurrent fans following and unfollowing
 * a few channels, on the real JetStream) and asserts exact counts once every
 * event has been handled.
 */
import { Client } from "pg";
import { ok } from "../../../helpers/api-client";
import { NATS_URL, uniqueId, waitFor } from "../../../helpers/infra";
import { cleanupNats } from "../../mixins/durable-events/helpers/cleanup";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import { followEventKey } from "../../../../services/core/users/users.events";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(120000);

const CHANNELS = 5;
const FANS = 20;
/**
 * The load is a number of operations, not a time window: on a loaded machine
 * a fixed window holds fewer requests, and the reordering this reproduces
 * needs enough of them (20 fans × 8 = 160 follow/unfollow events).
 */
const OPS_PER_FAN = 8;
const FOLLOW_TYPES = ["channel.followed", "channel.unfollowed"];

describe("follower counts under follow/unfollow load (JetStream, one stream per event type)", () => {
  let h: CoreHarness;
  let pg: Client;
  let channelIds: string[];
  let fans: TestUser[];

  beforeAll(async () => {
    // One event in flight per group (the old default): each stream drains at its own pace, as in the fault run.
    h = await startCore({ DURABLE_EVENTS_URL: NATS_URL, DURABLE_EVENTS_MAX_IN_FLIGHT: "1" });
    pg = new Client({ connectionString: h.db?.url });
    await pg.connect();
    // A few registrations at a time: password hashing on a loaded machine must not hit the request timeout.
    const owners = await usersInBatches(CHANNELS, "fcown");
    channelIds = await Promise.all(
      owners.map(
        async (owner) =>
          ok(await owner.api.channels.create({ slug: uniqueId("fc"), title: "Counted" }), 201).channel.id,
      ),
    );
    fans = await usersInBatches(FANS, "fcfan");
  });

  afterAll(async () => {
    await pg?.end();
    await h?.stop();
    if (h) await cleanupNats(NATS_URL, h.config.namespace);
  });

  async function usersInBatches(count: number, prefix: string): Promise<TestUser[]> {
    const users: TestUser[] = [];
    while (users.length < count) {
      const batch = Math.min(5, count - users.length);
      users.push(...(await Promise.all(Array.from({ length: batch }, () => newUser(h, prefix)))));
    }
    return users;
  }

  async function churn(fan: TestUser): Promise<number> {
    const following = new Set<string>();
    let ops = 0;
    while (ops < OPS_PER_FAN) {
      const channelId = channelIds[Math.floor(Math.random() * channelIds.length)];
      if (following.has(channelId)) {
        ok(await fan.api.channels.unfollow(channelId));
        following.delete(channelId);
      } else {
        ok(await fan.api.channels.follow(channelId));
        following.add(channelId);
      }
      ops++;
    }
    return ops;
  }

  /** Every follow event the users service published has been handled by the channels group. */
  async function allHandled(): Promise<boolean> {
    const { rows } = await pg.query<{ pending: string; published: string; handled: string }>(
      `SELECT
         (SELECT count(*) FROM users.outbox WHERE type = ANY($1) AND published_at IS NULL) AS pending,
         (SELECT count(*) FROM users.outbox WHERE type = ANY($1)) AS published,
         (SELECT count(*) FROM channels.processed_events p
            WHERE p.consumer_group = 'channels' AND p.event_id IN (SELECT id::text FROM users.outbox WHERE type = ANY($1))) AS handled`,
      [FOLLOW_TYPES],
    );
    return rows[0].pending === "0" && rows[0].published === rows[0].handled;
  }

  it("ends with every channel's followerCount equal to its follow rows", async () => {
    const ops = (await Promise.all(fans.map((fan) => churn(fan)))).reduce((a, b) => a + b, 0);
    expect(ops).toBe(FANS * OPS_PER_FAN);
    await waitFor(allHandled, { what: "every follow event handled by channels", timeoutMs: 60000, intervalMs: 200 });
    for (const channelId of channelIds) {
      const { rows } = await pg.query<{ n: string }>("SELECT count(*) AS n FROM users.follows WHERE channel_id = $1", [
        channelId,
      ]);
      const channel = ok(await h.api.channels.get(channelId));
      expect({ channelId, followerCount: channel.followerCount }).toEqual({
        channelId,
        followerCount: Number(rows[0].n),
      });
    }
  });

  it("counts nothing for a follow delivered after its own unfollow, and a redelivered follow once", async () => {
    const channelId = channelIds[0];
    const userId = uniqueId("ghost");
    const key = followEventKey(userId, channelId);
    const before = ok(await h.api.channels.get(channelId)).followerCount;
    const runtime = getRuntime(h.broker);
    const followedAt = new Date().toISOString();
    // Versions as the users service's outbox would give them: follow v1, unfollow v2, follow again v3.
    const follow1 = {
      ...createEnvelope("channel.followed", { userId, channelId, followedAt }, "users", new Date(), key),
      version: 1,
    };
    const unfollow2 = {
      ...createEnvelope(
        "channel.unfollowed",
        { userId, channelId, unfollowedAt: followedAt },
        "users",
        new Date(),
        key,
      ),
      version: 2,
    };
    const follow3 = {
      ...createEnvelope("channel.followed", { userId, channelId, followedAt }, "users", new Date(), key),
      version: 3,
    };
    const handled = async (ids: string[]) =>
      (
        await pg.query<{ n: string }>(
          "SELECT count(*) AS n FROM channels.processed_events WHERE consumer_group = 'channels' AND event_id = ANY($1)",
          [ids],
        )
      ).rows[0].n === String(ids.length);

    await runtime.publish(unfollow2);
    await waitFor(() => handled([unfollow2.id]), { what: "unfollow handled" });
    await runtime.publish(follow1);
    await waitFor(() => handled([follow1.id]), { what: "late follow handled" });
    expect(ok(await h.api.channels.get(channelId)).followerCount).toBe(before);

    await runtime.publish(follow3);
    await runtime.publish({ ...follow3, id: follow3.id });
    await waitFor(() => handled([follow3.id]), { what: "follow handled" });
    await waitFor(async () => ok(await h.api.channels.get(channelId)).followerCount === before + 1, {
      what: "the newer follow counted once",
    });
  });
});
