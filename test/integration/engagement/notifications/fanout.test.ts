/**
 * Fan-out to followers in batches, and a node killed mid fan-out: the batch
 * it was writing rolls back, its lease expires, another node resumes right
 * after the last committed follower: every follower has exactly one
 * notification, none skipped, none twice.
 */
import { FanoutWorker } from "../../../../services/engagement/notifications/fanout-worker";
import type { NotificationsThis } from "../../../../services/engagement/notifications/notifications.context";
import { waitFor } from "../../../helpers/infra";
import {
  channelWithFollowers,
  startNotifications,
  streamStarted,
  type NotificationsHarness,
} from "./notifications-harness";

jest.setTimeout(60_000);

const BATCH = 4;
const LEASE_MS = 600;
let h: NotificationsHarness;

beforeAll(async () => {
  // No background workers: the spec drives "node A" and "node B" itself.
  h = await startNotifications({
    settings: { runWorkers: false, fanoutBatchSize: BATCH, fanoutLeaseMs: LEASE_MS },
    noRealtime: true,
  });
});

afterAll(async () => {
  await h?.stop();
});

/** The same service seen as another node: its own lease owner name. */
function asNode(svc: NotificationsThis, owner: string): NotificationsThis {
  return Object.create(svc, { owner: { value: owner } }) as NotificationsThis;
}

async function rowsPerFollower(channelId: string): Promise<Map<string, number>> {
  const rows = await h.notifications.db.query<{ user_id: string; n: string }>(
    "SELECT user_id, count(*) AS n FROM notifications WHERE channel_id = $1 AND type = 'stream.live' GROUP BY user_id",
    [channelId],
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}

it("resumes a fan-out whose node died mid-way: every follower notified exactly once", async () => {
  const followerCount = 3 * BATCH + 2;
  const { owner, channelId, followers } = await channelWithFollowers(h, followerCount);
  await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-kill"));
  const fanoutId = "stream.live:live:sess-kill";
  await waitFor(
    async () => (await h.notifications.db.query("SELECT id FROM fanouts WHERE id = $1", [fanoutId])).length === 1,
    { what: "fan-out row" },
  );

  // Node A commits two batches and dies while writing the third.
  const nodeA = new FanoutWorker(asNode(h.notifications, "node-a"));
  nodeA.hooks.beforeCommit = (_id, batch) => {
    if (batch === 3) throw new Error("node A killed");
  };
  await expect(nodeA.runOne()).rejects.toThrow("node A killed");
  const afterCrash = await rowsPerFollower(channelId);
  expect(afterCrash.size).toBe(2 * BATCH);
  const [progress] = await h.notifications.db.query<{ after_user: string; lease_owner: string; state: string }>(
    "SELECT after_user, lease_owner, state FROM fanouts WHERE id = $1",
    [fanoutId],
  );
  expect(progress).toMatchObject({ lease_owner: "node-a", state: "running" });
  const sortedIds = followers.map((f) => f.id).sort();
  expect(progress?.after_user).toBe(sortedIds[2 * BATCH - 1]);

  // A's lease ran LEASE_MS from its last batch. Node B cannot take the fan-out while a lease holds (held here
  // for a minute, so a slow machine cannot let it lapse before B's first try), and takes it over once the
  // lease has run out.
  const [lease] = await h.notifications.db.query<{ left_ms: number }>(
    "SELECT (EXTRACT(EPOCH FROM lease_until - now()) * 1000)::float AS left_ms FROM fanouts WHERE id = $1",
    [fanoutId],
  );
  expect(lease!.left_ms).toBeLessThanOrEqual(LEASE_MS);
  await h.notifications.db.query("UPDATE fanouts SET lease_until = now() + interval '1 minute' WHERE id = $1", [
    fanoutId,
  ]);
  const nodeB = new FanoutWorker(asNode(h.notifications, "node-b"));
  expect(await nodeB.runOne()).toBe(false);
  await h.notifications.db.query("UPDATE fanouts SET lease_until = now() - interval '1 second' WHERE id = $1", [
    fanoutId,
  ]);
  expect(await nodeB.runOne()).toBe(true);

  const final = await rowsPerFollower(channelId);
  expect([...final.keys()].sort()).toEqual(sortedIds);
  expect([...final.values()].every((n) => n === 1)).toBe(true);
  const [done] = await h.notifications.db.query<{ state: string; recipients: number }>(
    "SELECT state, recipients FROM fanouts WHERE id = $1",
    [fanoutId],
  );
  expect(done).toEqual({ state: "done", recipients: followerCount });
  // Nothing left to take.
  expect(await nodeB.runOne()).toBe(false);
});

it("stops a deleted channel's unfinished fan-out (no worker takes it afterwards)", async () => {
  await h.notifications.db.query(
    `INSERT INTO fanouts (id, type, channel_id, template) VALUES ('stream.live:live:orphan', 'stream.live', 'chan-gone', '{"recipients":{"followersOf":"chan-gone"}}'::jsonb)`,
  );
  await h.publish("channel.deleted", {
    channelId: "chan-gone",
    ownerId: "o",
    slug: "gone",
    deletedAt: new Date().toISOString(),
  });
  await waitFor(
    async () =>
      (await h.notifications.db.query<{ state: string }>("SELECT state FROM fanouts WHERE channel_id = 'chan-gone'"))[0]
        ?.state === "done",
    { what: "fan-out stopped" },
  );
  expect(await new FanoutWorker(h.notifications).runOne()).toBe(false);
});
