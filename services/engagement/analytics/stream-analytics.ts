/** One live session: the channel's series over the session's window, and its totals. */
import { NotFoundError } from "../../../lib/errors";
import type { AnalyticsContext, AnalyticsThis } from "./analytics.context";
import { assertChannelReader } from "./access";
import { MINUTE_MS, minuteOf } from "./buckets";
import { respond } from "./csv-response";
import type { Metric } from "./metrics";
import { measures, readBuckets, resolveRange, round, suppressSmall, table, type SeriesTable } from "./series";
import type { StreamAnalyticsParams } from "./analytics.params";

const METRICS: Metric[] = ["viewers", "chat_messages", "chatters", "follows", "unfollows"];

export interface StreamAnalytics {
  sessionId: string;
  channelId: string;
  title: string;
  startedAt: string;
  endedAt: string | null;
  durationS: number;
  avgViewers: number | null;
  peakViewers: number | null;
  minutesWatched: number;
  chatMessages: number;
  /** Distinct chatters over the session; null under the minimum group size. */
  uniqueChatters: number | null;
  newFollowers: number;
  granularity: string;
  series: SeriesTable;
}

export async function streamAnalytics(
  svc: AnalyticsThis,
  ctx: AnalyticsContext<StreamAnalyticsParams>,
): Promise<StreamAnalytics | string> {
  const session = await svc.stores.streamSessions.findById(ctx.params.id);
  if (!session) throw new NotFoundError("Stream session not found");
  await assertChannelReader(ctx, session.channelId);
  const start = new Date(session.startedAt).getTime();
  const end = session.endedAt ? new Date(session.endedAt).getTime() : Date.now();
  const window = { from: new Date(start).toISOString(), to: new Date(Math.max(end, start + MINUTE_MS)).toISOString() };
  const range = resolveRange({ ...window, granularity: ctx.params.granularity }, 0);
  const b = await readBuckets(svc.db, "channel", session.channelId, METRICS, range, await svc.rollupCache.at());
  const series = table(range, {
    avgViewers: [b.get("viewers"), measures.avgViewers],
    peakViewers: [b.get("viewers"), measures.peak],
    chatMessages: [b.get("chat_messages"), measures.total],
    uniqueChatters: [b.get("chatters"), measures.total],
    follows: [b.get("follows"), measures.total],
  });
  series.columns.uniqueChatters = suppressSmall(series.columns.uniqueChatters!, svc.policy.minGroupSize);
  const viewers = [...(b.get("viewers")?.values() ?? [])];
  const liveMinutes = viewers.reduce((s, v) => s + v.minutes, 0);
  const viewerMinutes = viewers.reduce((s, v) => s + v.avgSum, 0);
  const [chatters] = await svc.db.query<{ n: string }>(
    `SELECT count(DISTINCT member) AS n FROM unique_members
     WHERE scope = 'channel' AND subject_id = $1 AND metric = 'chatters' AND bucket >= $2 AND bucket < $3`,
    [session.channelId, new Date(minuteOf(start)), new Date(end)],
  );
  const uniqueChatters = Number(chatters?.n ?? 0);
  const sum = (m: Metric) => [...(b.get(m)?.values() ?? [])].reduce((s, v) => s + v.sum, 0);
  const result: StreamAnalytics = {
    sessionId: session.id,
    channelId: session.channelId,
    title: session.title,
    startedAt: new Date(start).toISOString(),
    endedAt: session.endedAt ? new Date(session.endedAt).toISOString() : null,
    durationS: session.durationS ?? Math.round((end - start) / 1000),
    avgViewers: liveMinutes > 0 ? round(viewerMinutes / liveMinutes) : null,
    peakViewers: viewers.reduce<number | null>(
      (p, v) => (v.max !== null && (p === null || v.max > p) ? v.max : p),
      null,
    ),
    minutesWatched: round(viewerMinutes),
    chatMessages: sum("chat_messages"),
    uniqueChatters: uniqueChatters > 0 && uniqueChatters < svc.policy.minGroupSize ? null : uniqueChatters,
    newFollowers: sum("follows"),
    granularity: range.granularity,
    series,
  };
  return respond(ctx, `stream-${session.id}`, series, result);
}
