/**
 * schedules' part of GET /me/export: the segments of the channels the user
 * owns and the live sessions linked to them. Segments are keyed by channel,
 * so the owned channels come from the channels service.
 */
import { callAction, type ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, type UserDataParams } from "../../../lib/contracts/user-data";
import type { SchedulesThis } from "./schedules.context";
import type { SchedulesUserData } from "./schedules.contract";
import { toSegmentView } from "./segment-view";
import "../channels/channels.contract";

const PAGE = 100;

async function ownedChannelIds(ctx: ArenaContext<UserDataParams>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await callAction(ctx, "channels.list", { ownerId: ctx.params.userId, limit: PAGE, cursor });
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

export async function exportUserData(
  svc: SchedulesThis,
  ctx: ArenaContext<UserDataParams>,
): Promise<SchedulesUserData> {
  assertSelfOrAdmin(ctx);
  const channelIds = await ownedChannelIds(ctx);
  if (channelIds.length === 0) return { segments: [], liveSessions: [] };
  const segments = await svc.stores.segments.find({ query: { channelId: { $in: channelIds } }, sort: ["startAt"] });
  const sessions = await svc.stores.sessions.find({ query: { channelId: { $in: channelIds } }, sort: ["startedAt"] });
  return {
    segments: segments.map(toSegmentView),
    liveSessions: sessions.map((s) => ({
      sessionId: s.id,
      channelId: s.channelId,
      segmentId: s.segmentId,
      occurrenceStart: s.occurrenceStart,
      startedAt: s.startedAt,
    })),
  };
}
