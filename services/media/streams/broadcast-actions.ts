/** What the broadcaster (the channel owner, or an admin) does with their live broadcast. */
import { assertOwner } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction, type ActionContext } from "../../../lib/contracts";
import { NotFoundError, ValidationError } from "../../../lib/errors";
import { toPlainText } from "../../../lib/text/plain-text";
import { OPEN } from "./read-actions";
import { endSessionNow } from "./session-lifecycle";
import { toPublicSession, type PublicSession } from "./stream-sessions";
import type { StreamsThis } from "./streams.context";
import { channelStreamKey } from "./streams.events";
import type { IngestInfo } from "./streams.contract";
import type { SessionDoc } from "./streams.entities";

/** Same rule as channel titles: plain text only, shown to every viewer in listings and notifications. */
function plainTextField(field: string, raw: string): string {
  const value = toPlainText(raw);
  if (!value) throw new ValidationError(`${field} is empty after removing markup`, [{ field, message: "empty" }]);
  return value;
}

/** Changes the live stream's title/category while live; publishes stream.updated. */
export async function updateLive(svc: StreamsThis, ctx: ActionContext<"streams.update">): Promise<PublicSession> {
  const doc = await svc.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
  if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
  assertOwner(ctx, doc.ownerId, "stream");
  const patch: Partial<Pick<SessionDoc, "title" | "category">> = {};
  if (ctx.params.title !== undefined) patch.title = plainTextField("title", ctx.params.title);
  if (ctx.params.category !== undefined)
    patch.category = ctx.params.category === null ? null : plainTextField("category", ctx.params.category);
  const updated = await svc.db.transaction(async () => {
    const next = await svc.stores.sessions.updateById(doc.id, patch);
    if (!next) throw new NotFoundError("Live session", doc.id);
    await svc.publishDurable(
      "stream.updated",
      { sessionId: next.id, channelId: next.channelId, title: next.title, category: next.category ?? null },
      { key: channelStreamKey(next.channelId) },
    );
    return next;
  });
  return toPublicSession(updated);
}

/** Where the owner points their encoder (the stream key itself is shown once by channels). */
export async function ingestEndpoint(svc: StreamsThis, ctx: ActionContext<"streams.ingest">): Promise<IngestInfo> {
  const channel = await callAction(ctx, "channels.get", { id: ctx.params.channelId });
  assertOwner(ctx, channel.ownerId, "channel");
  const endpoint = await svc.provider.ingestEndpoint({ channelId: channel.id, ownerId: channel.ownerId });
  return { ...endpoint, provider: svc.provider.kind };
}

/** Ends the channel's session now: drops the broadcaster, skips the grace period. */
export async function endLive(svc: StreamsThis, ctx: ActionContext<"streams.end">): Promise<{ ended: boolean }> {
  const doc = await svc.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
  if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
  assertOwner(ctx, doc.ownerId, "stream");
  if (doc.nodeId === svc.broker.nodeID) {
    svc.provider.dropPublisher(doc.id);
    await endSessionNow(svc, doc.id);
  } else {
    // Grace timers and the broadcaster live on the ingest node: ask it.
    void broadcastEvent(ctx, "streams.session.endRequested", { sessionId: doc.id }, "streams");
  }
  return { ended: true };
}
