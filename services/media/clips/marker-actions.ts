/**
 * Stream markers: the broadcaster or a channel moderator marks a moment of
 * the live stream (time + description). When the session's recording
 * becomes a VOD, its markers are chapters of it: the VOD chapters route
 * (tournaments.videoChapters) asks videoMarkers and lists them beside the
 * match chapters. Offsets are seconds from the start of the session, which
 * is where the recording starts.
 */
import { callAction } from "../../../lib/contracts";
import { ConflictError, NotFoundError } from "../../../lib/errors";
import { markCreated } from "../../../lib/http/response-meta";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { toPlainText } from "../../../lib/text/plain-text";
import { requireChannelStaff, spendBudget } from "./clip-access";
import { toMarkerView } from "./clip-view";
import type { ClipsContext, ClipsThis } from "./clips.context";
import type { MarkerChapter, MarkerView } from "./clip.types";

/** Markers one live session may hold. */
export const MAX_MARKERS_PER_SESSION = 500;

export async function createMarker(
  svc: ClipsThis,
  ctx: ClipsContext<{ channelId: string; description?: string }>,
): Promise<MarkerView> {
  const user = await requireChannelStaff(ctx, ctx.params.channelId, "mark the stream");
  await spendBudget(svc, `marker:${user.id}`, svc.settings.markerRateLimit);
  const live = await callAction(ctx, "streams.liveRecording", { channelId: ctx.params.channelId }).catch(
    (err: { code?: number }) => {
      if (err.code === 404) throw new ConflictError("Markers can only be added while the channel is live");
      throw err;
    },
  );
  if ((await svc.stores.markers.count({ sessionId: live.sessionId })) >= MAX_MARKERS_PER_SESSION)
    throw new ConflictError(`A stream may have at most ${MAX_MARKERS_PER_SESSION} markers`);
  const offsetS = Math.max(0, Math.round((Date.now() - new Date(live.startedAt).getTime()) / 100) / 10);
  const marker = await svc.stores.markers.insert({
    channelId: ctx.params.channelId,
    sessionId: live.sessionId,
    offsetS,
    description: toPlainText(ctx.params.description ?? "")
      .trim()
      .slice(0, 140),
    createdBy: user.id,
  });
  markCreated(ctx, `/channels/${marker.channelId}/markers/${marker.id}`);
  return toMarkerView(marker);
}

/** The channel's markers, newest first (broadcaster and moderators). */
export async function listMarkers(
  svc: ClipsThis,
  ctx: ClipsContext<{ channelId: string } & CursorPageParams>,
): Promise<CursorPage<MarkerView>> {
  await requireChannelStaff(ctx, ctx.params.channelId, "see the stream's markers");
  const limit = pageLimit(ctx.params);
  const values: unknown[] = [ctx.params.channelId];
  let where = "channel_id = $1";
  if (ctx.params.cursor) {
    const [at, id] = decodeCursor(ctx.params.cursor, 2);
    values.push(new Date(Number(at)), String(id));
    where += " AND (created_at, id) < ($2, $3)";
  }
  values.push(limit + 1);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM markers WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const byId = new Map((await svc.stores.markers.findByIds(rows.map((r) => r.id))).map((m) => [m.id, m]));
  const docs = rows.flatMap((r) => byId.get(r.id) ?? []);
  const page = docs.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toMarkerView),
    nextCursor: docs.length > limit && last ? encodeCursor([new Date(last.createdAt).getTime(), last.id]) : null,
  };
}

export async function removeMarker(
  svc: ClipsThis,
  ctx: ClipsContext<{ channelId: string; markerId: string }>,
): Promise<{ id: string; deleted: true }> {
  await requireChannelStaff(ctx, ctx.params.channelId, "remove markers");
  const marker = await svc.stores.markers.findById(ctx.params.markerId);
  if (!marker || marker.channelId !== ctx.params.channelId) throw new NotFoundError("Marker", ctx.params.markerId);
  await svc.stores.markers.removeById(marker.id);
  return { id: marker.id, deleted: true };
}

/**
 * The markers of the session a VOD was recorded from, as chapters: each
 * runs to the next marker (or the end of the video). The caller must be
 * allowed to see the video (the videos service decides).
 */
export async function videoMarkers(
  svc: ClipsThis,
  ctx: ClipsContext<{ videoId: string }>,
): Promise<{ items: MarkerChapter[] }> {
  const video = await callAction(ctx, "videos.get", { id: ctx.params.videoId });
  if (!video.liveSessionId) return { items: [] };
  const duration = video.durationS ?? Number.MAX_SAFE_INTEGER;
  // Offsets are tenths of a second: two markers dropped within one tie, and keep the order they were made in.
  const markers = (
    await svc.stores.markers.find({
      query: { sessionId: video.liveSessionId },
      sort: ["offsetS", "createdAt", "id"],
      limit: 500,
    })
  ).filter((m) => m.offsetS < duration);
  return {
    items: markers.map((m, i) => ({
      videoId: video.id,
      markerId: m.id,
      title: m.description || `Marker ${i + 1}`,
      startS: m.offsetS,
      endS: Math.min(markers[i + 1]?.offsetS ?? duration, duration),
    })),
  };
}
