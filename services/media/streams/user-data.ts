/**
 * streams' share of an account or channel deletion: the live sessions of the
 * user's channel and their ingest health samples. A broadcast still live is
 * dropped by ingest on `channels.suspended` (the channels service sends it);
 * its session row goes here. Idempotent: a redelivery finds nothing left.
 */
import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import type { StreamsThis } from "./streams.context";
import type { StreamsUserData } from "./streams.contract";
import { SESSION_BOOKKEEPING } from "./streams.entities";

async function removeSessions(svc: StreamsThis, query: { ownerId: string } | { channelId: string }): Promise<void> {
  const sessions = await svc.stores.sessions.find({ query });
  for (const session of sessions) {
    // A reconnect grace timer of this node must not end (and re-publish) a session that no longer exists.
    clearTimeout(svc.graceTimers.get(session.id));
    svc.graceTimers.delete(session.id);
    await svc.stores.healthSamples.removeMany({ sessionId: session.id });
    await svc.stores.sessions.removeById(session.id);
  }
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "streams",
    async handler(this: Service, envelope) {
      await removeSessions(this as unknown as StreamsThis, { ownerId: envelope.payload.userId });
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "streams",
    async handler(this: Service, envelope) {
      await removeSessions(this as unknown as StreamsThis, { channelId: envelope.payload.channelId });
    },
  }),
};

/** streams' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: StreamsThis, ctx: ArenaContext<UserDataParams>): Promise<StreamsUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const sessions = await svc.stores.sessions.find({ query: { ownerId: userId } });
  return { sessions: sessions.map((session) => withoutFields(session, SESSION_BOOKKEEPING)) };
}
