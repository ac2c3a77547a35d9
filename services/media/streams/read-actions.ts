/** Reading live sessions: listings and status for anyone, health for the owner. */
import { assertOwner } from "../../../lib/auth/ownership";
import { callAction, type ActionContext } from "../../../lib/contracts";
import { NotFoundError } from "../../../lib/errors";
import { keysetFind, pageLimit, type KeysetField } from "../../../lib/pagination";
import type { StoreQuery } from "../../../mixins/db";
import {
  healthWarnings,
  toHealthSample,
  toPublicSession,
  type ChannelLiveStatus,
  type PublicSession,
  type StreamHealthView,
} from "./stream-sessions";
import type { StreamsThis } from "./streams.context";
import type { LiveList, LiveRecording } from "./streams.contract";

/** Sessions with a broadcaster, or waiting for one to reconnect. */
export const OPEN = { $in: ["live", "reconnecting"] };

const RECENT: readonly KeysetField[] = [
  { field: "startedAt", kind: "date", desc: true },
  { field: "id", kind: "text", desc: false },
];
/** Viewer counts change all the time: a stream can cross the cursor between two pages (docs/api.md). */
const MOST_VIEWED: readonly KeysetField[] = [{ field: "viewerCount", kind: "integer", desc: true }, ...RECENT];

/** Live streams now: filter by category and language, most viewers (or most recent) first; cursor pages. */
export async function liveNow(svc: StreamsThis, ctx: ActionContext<"streams.live">): Promise<LiveList> {
  const base: StoreQuery = { status: OPEN };
  if (ctx.params.category) base.category = ctx.params.category;
  if (ctx.params.language) base.language = ctx.params.language;
  const recent = ctx.params.sort === "recent";
  const page = await keysetFind((query, sort, limit) => svc.stores.sessions.find({ query, sort, limit }), {
    base,
    fields: recent ? RECENT : MOST_VIEWED,
    cursor: ctx.params.cursor,
    limit: pageLimit(ctx.params),
    keyOf: (doc) =>
      recent ? [doc.startedAt.toISOString(), doc.id] : [doc.viewerCount, doc.startedAt.toISOString(), doc.id],
  });
  return { items: page.items.map(toPublicSession), nextCursor: page.nextCursor };
}

/** A channel's live status and, when live, a signed playback URL (plus CloudFront signed cookies on aws). */
export async function channelStatus(
  svc: StreamsThis,
  ctx: ActionContext<"streams.channelStatus">,
): Promise<ChannelLiveStatus> {
  const doc = await svc.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
  if (!doc) {
    // Offline and unknown are different answers: a typo in a channel id is a 404, not "offline".
    await callAction(ctx, "channels.get", { id: ctx.params.channelId });
    return { channelId: ctx.params.channelId, live: false, session: null, playbackUrl: null, playbackCookies: null };
  }
  const nowS = Math.floor(Date.now() / 1000);
  return {
    channelId: doc.channelId,
    live: true,
    session: toPublicSession(doc),
    playbackUrl: svc.provider.playbackUrl(doc.id, nowS),
    playbackCookies: svc.provider.playbackCookies(doc.id, nowS),
  };
}

/** Batch form of channelStatus without playback URLs (for channel lists). */
export async function liveMany(svc: StreamsThis, ctx: ActionContext<"streams.liveMany">): Promise<PublicSession[]> {
  if (ctx.params.channelIds.length === 0) return [];
  const docs = await svc.stores.sessions.find({ query: { channelId: { $in: ctx.params.channelIds }, status: OPEN } });
  return docs.map(toPublicSession);
}

/** The owner's stream health: latest ingest sample, recent history and warnings. */
export async function streamHealth(svc: StreamsThis, ctx: ActionContext<"streams.health">): Promise<StreamHealthView> {
  const doc = await svc.stores.sessions.findOne({ channelId: ctx.params.channelId }, ["-startedAt"]);
  if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
  assertOwner(ctx, doc.ownerId, "stream");
  const samples = await svc.stores.healthSamples.find({
    query: { sessionId: doc.id },
    sort: ["-at"],
    limit: svc.settings.healthSamplesShown,
  });
  const latest = doc.lastHealth ?? null;
  return {
    sessionId: doc.id,
    channelId: doc.channelId,
    status: doc.status,
    latest,
    samples: samples.map(toHealthSample),
    warnings: doc.status === "ended" ? [] : healthWarnings(latest),
  };
}

/**
 * Internal (clips, markers): the channel's open session, when it started and
 * the recording written so far. 404 when the channel is not live.
 */
export async function liveRecording(
  svc: StreamsThis,
  ctx: ActionContext<"streams.liveRecording">,
): Promise<LiveRecording> {
  const doc = await svc.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
  if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
  return {
    sessionId: doc.id,
    channelId: doc.channelId,
    ownerId: doc.ownerId,
    title: doc.title,
    startedAt: doc.startedAt.toISOString(),
    recordingKeys: svc.provider.recordingParts?.(doc.id) ?? [],
  };
}
