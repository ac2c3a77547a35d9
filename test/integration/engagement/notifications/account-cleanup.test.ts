/**
 * user.deleted: the service forgets the account (inbox, devices,
 * preferences, mutes) and removes what others were told about the account's
 * acts; handling it again changes nothing.
 */
import { waitFor } from "../../../helpers/infra";
import {
  channelWithFollowers,
  startNotifications,
  streamStarted,
  type NotificationsHarness,
} from "./notifications-harness";

jest.setTimeout(60_000);

let h: NotificationsHarness;

beforeAll(async () => {
  h = await startNotifications({ noRealtime: true });
});

afterAll(async () => {
  await h?.stop();
});

const count = async (sql: string, bind: unknown[]): Promise<number> =>
  Number((await h.notifications.db.query<{ n: string }>(sql, bind))[0]?.n ?? 0);

it("removes a deleted user's data and the notifications about them, idempotently", async () => {
  const { owner, channelId, followers } = await channelWithFollowers(h, 2);
  const [gone, stays] = followers as [(typeof followers)[0], (typeof followers)[0]];
  await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-del"));
  await waitFor(
    async () => (await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [gone.id])) === 1,
  );
  // The owner was told about both follows.
  await waitFor(
    async () => (await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [owner.id])) === 2,
  );
  const device = await gone.api.request("POST", "/me/devices", {
    kind: "mobile",
    platform: "fcm",
    token: "t".repeat(64),
  });
  expect(device.status).toBe(200);
  await gone.api.request("PUT", `/me/notification-preferences/muted-channels/other-channel`);

  const deleted = {
    userId: gone.id,
    username: gone.username,
    deletedBy: "self" as const,
    deletedAt: new Date().toISOString(),
  };
  await h.publish("user.deleted", deleted);
  await waitFor(async () => (await count("SELECT count(*) AS n FROM devices WHERE user_id = $1", [gone.id])) === 0);
  expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [gone.id])).toBe(0);
  expect(await count("SELECT count(*) AS n FROM channel_mutes WHERE user_id = $1", [gone.id])).toBe(0);
  expect(await count("SELECT count(*) AS n FROM notifications WHERE actor_id = $1", [gone.id])).toBe(0);
  // Others keep theirs.
  expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [stays.id])).toBe(1);
  expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [owner.id])).toBe(1);

  // Again (a redelivery with a new id): nothing changes, nothing fails.
  await h.publish("user.deleted", deleted);
  await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-del-2", new Date(Date.now() + 3600_000)));
  await waitFor(
    async () => (await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [stays.id])) === 2,
  );
  expect(await count("SELECT count(*) AS n FROM notifications WHERE user_id = $1", [owner.id])).toBe(1);
});
