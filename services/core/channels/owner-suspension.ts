/**
 * A suspended account's channels stop broadcasting: ingest refuses their
 * stream keys (verifyStreamKey reads owner_suspensions) and a live
 * broadcaster is dropped on `channels.suspended`. The channels and their
 * data stay (search hides them on its own user.suspended consumer). Lifting
 * the account's suspension lets them broadcast again, unless an admin
 * suspended a channel itself. Ordered by the events' version.
 */
import { broadcastEvent } from "../../../lib/contracts";
import { durableHandler } from "../../../mixins/durable-events";
import type { ChannelsThis } from "./channels.context";
import "../identity/identity.events";

/** Records the account's state if `version` is newer than what is stored; true when it applied. */
async function record(svc: ChannelsThis, userId: string, suspended: boolean, version: number): Promise<boolean> {
  const rows = await svc.db.query(
    `INSERT INTO owner_suspensions (user_id, suspended, version) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET suspended = EXCLUDED.suspended, version = EXCLUDED.version, updated_at = now()
       WHERE owner_suspensions.version < EXCLUDED.version
     RETURNING user_id`,
    [userId, suspended, version],
  );
  return rows.length === 1;
}

export async function isOwnerSuspended(svc: ChannelsThis, ownerId: string): Promise<boolean> {
  const rows = await svc.db.query<{ suspended: boolean }>(
    "SELECT suspended FROM owner_suspensions WHERE user_id = $1",
    [ownerId],
  );
  return rows[0]?.suspended === true;
}

export const ownerSuspensionHandlers = {
  ...durableHandler("user.suspended", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      const { userId, version } = envelope.payload;
      if (!(await record(this, userId, true, version))) return;
      // Plain signal: the streams node holding a live session drops its broadcaster.
      for (const channel of await this.stores.channels.find({ query: { ownerId: userId } }))
        await broadcastEvent(this.broker, "channels.suspended", { channelId: channel.id });
    },
  }),
  ...durableHandler("user.unsuspended", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      await record(this, envelope.payload.userId, false, envelope.payload.version);
    },
  }),
};
