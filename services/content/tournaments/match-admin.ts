/** Organizer tools on single matches (time, channel), and the public reads that tie matches to streams and VODs. */
import { callAction } from "../../../lib/contracts";
import { ConflictError, NotFoundError } from "../../../lib/errors";
import { matchViews } from "./bracket-read";
import { pushAfterCommit } from "./live-updates";
import { linkLiveMatches, liveSessionOf } from "./stream-link";
import { lockTournament, requireOrganizerOf } from "./tournament-access";
import { toChapterView } from "./tournament-view";
import "../../media/clips/clips.contract";
import type { TournamentsContext, TournamentsThis } from "./tournaments.context";
import { TOPIC_EVENTS } from "./tournaments.events";
import type { ChapterView, MatchDoc, MatchView, TournamentDoc } from "./tournament.types";

export interface ScheduleMatchParams {
  id: string;
  matchId: string;
  scheduledAt: Date | null;
}
export interface AssignChannelParams {
  id: string;
  matchId: string;
  channelId: string | null;
}
export interface ChannelMatch {
  channelId: string;
  match: MatchView | null;
}

async function loadMatch(svc: TournamentsThis, t: TournamentDoc, matchId: string): Promise<MatchDoc> {
  const m = await svc.stores.matches.findById(matchId);
  if (!m || m.tournamentId !== t.id) throw new NotFoundError("Match", matchId);
  return m;
}

function requireOpenMatch(t: TournamentDoc, m: MatchDoc): void {
  if (t.status !== "running") throw new ConflictError(`The tournament is ${t.status}, not running`);
  if (m.status !== "pending" && m.status !== "ready") throw new ConflictError(`This match is already ${m.status}`);
}

/** Moves a match; the calendar feed's SEQUENCE goes up so subscribed calendars update. */
export async function scheduleMatch(
  svc: TournamentsThis,
  ctx: TournamentsContext<ScheduleMatchParams>,
): Promise<MatchView> {
  const p = ctx.params;
  const saved = await svc.db.transaction(async () => {
    const t = await lockTournament(svc, p.id);
    requireOrganizerOf(ctx, t);
    const m = await loadMatch(svc, t, p.matchId);
    requireOpenMatch(t, m);
    await svc.stores.tournaments.increment(t.id, "scheduleVersion", 1);
    const updated = (await svc.stores.matches.updateById(m.id, {
      scheduledAt: p.scheduledAt,
      version: m.version + 1,
    })) as MatchDoc;
    const [view] = await matchViews(svc, [updated]);
    pushAfterCommit(svc, t.id, TOPIC_EVENTS.matches, { matches: [view] });
    return view as MatchView;
  });
  return saved;
}

/** Shows a match on a channel (or clears it); linked at once when the channel is live. */
export async function assignChannel(
  svc: TournamentsThis,
  ctx: TournamentsContext<AssignChannelParams>,
): Promise<MatchView> {
  const p = ctx.params;
  // 404 for an unknown channel, before any lock.
  if (p.channelId) await callAction(ctx, "channels.get", { id: p.channelId });
  return svc.db.transaction(async () => {
    const t = await lockTournament(svc, p.id);
    requireOrganizerOf(ctx, t);
    const m = await loadMatch(svc, t, p.matchId);
    requireOpenMatch(t, m);
    const moved = p.channelId !== m.channelId;
    let updated = (await svc.stores.matches.updateById(m.id, {
      channelId: p.channelId,
      // A match moved to another channel is no longer on the old one's session.
      ...(moved ? { liveSessionId: null, liveStartedAt: null } : {}),
      version: m.version + 1,
    })) as MatchDoc;
    updated = (await linkLiveMatches(svc, [updated]))[0] ?? updated;
    const [view] = await matchViews(svc, [updated]);
    pushAfterCommit(svc, t.id, TOPIC_EVENTS.matches, { matches: [view] });
    return view as MatchView;
  });
}

/** The match a channel is showing now: what a stream page displays beside the player. */
export async function channelMatch(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ channelId: string }>,
): Promise<ChannelMatch> {
  const { channelId } = ctx.params;
  const session = await liveSessionOf(svc, channelId);
  if (!session) return { channelId, match: null };
  const current = await svc.stores.matches.findOne({ channelId, liveSessionId: session.id, status: "ready" }, [
    "liveStartedAt",
  ]);
  if (!current) return { channelId, match: null };
  const tournament = await svc.stores.tournaments.findById(current.tournamentId);
  if (!tournament || tournament.status === "draft") return { channelId, match: null };
  return { channelId, match: (await matchViews(svc, [current]))[0] ?? null };
}

/**
 * Chapters of a VOD, in order: its matches, and the stream markers the
 * clips service keeps for the session it was recorded from. The video must
 * be visible to the caller (the videos service decides). Without a clips
 * node the match chapters still come back (logged, not failed).
 */
export async function videoChapters(
  svc: TournamentsThis,
  ctx: TournamentsContext<{ videoId: string }>,
): Promise<{ items: ChapterView[] }> {
  await callAction(ctx, "videos.get", { id: ctx.params.videoId });
  const chapters = await svc.stores.chapters.find({ query: { videoId: ctx.params.videoId }, sort: ["startS"] });
  const markers = await callAction(ctx, "clips.videoMarkers", { videoId: ctx.params.videoId }, { retries: 0 }).catch(
    (err: unknown) => {
      svc.logger.warn(`VOD ${ctx.params.videoId}: stream markers unavailable: ${String(err)}`);
      return { items: [] };
    },
  );
  const items: ChapterView[] = [
    ...chapters.map(toChapterView),
    ...markers.items.map((m) => ({
      videoId: m.videoId,
      kind: "marker" as const,
      matchId: null,
      tournamentId: null,
      markerId: m.markerId,
      title: m.title,
      startS: m.startS,
      endS: m.endS,
    })),
  ];
  return { items: items.sort((a, b) => a.startS - b.startS) };
}
