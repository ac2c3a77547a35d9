/**
 * Matches on stream. A match assigned to a channel is linked to the live
 * session that shows it: at assignment when the channel is already live, or
 * when the channel goes live (stream.started) while the match is ready.
 * When the recording of that session becomes a VOD (video.published with
 * its liveSessionId), each linked match gets a chapter in it: from when it
 * was linked (or the session start) to when it was decided (or the session
 * end), in seconds from the start of the recording.
 *
 * Live sessions are learnt from the durable stream events and kept here
 * (channel_sessions); this service never reads the streams or videos tables.
 */
import type { StreamEnded, StreamStarted } from "../../media/streams/streams.events";
import type { VideoPublished } from "../../media/videos/videos.events";
import { BYE } from "./bracket.types";
import type { TournamentsThis } from "./tournaments.context";
import type { ChannelSessionDoc, MatchDoc } from "./tournament.types";

/** The channel's session that is live now, if any. */
export async function liveSessionOf(svc: TournamentsThis, channelId: string): Promise<ChannelSessionDoc | null> {
  return svc.stores.channelSessions.findOne({ channelId, endedAt: null }, ["-startedAt"]);
}

/** Links ready, assigned, unlinked matches to their channel's live session; returns the matches it changed. */
export async function linkLiveMatches(svc: TournamentsThis, docs: readonly MatchDoc[]): Promise<MatchDoc[]> {
  const linked: MatchDoc[] = [];
  for (const d of docs) {
    if (d.status !== "ready" || !d.channelId || d.liveSessionId) continue;
    const session = await liveSessionOf(svc, d.channelId);
    if (!session) continue;
    const at = new Date(Math.max(Date.now(), session.startedAt.getTime()));
    linked.push(
      (await svc.stores.matches.updateById(d.id, {
        liveSessionId: session.id,
        liveStartedAt: at,
        version: d.version + 1,
      })) as MatchDoc,
    );
  }
  return linked;
}

export async function onStreamStarted(svc: TournamentsThis, e: StreamStarted): Promise<MatchDoc[]> {
  const startedAt = new Date(e.startedAt);
  await svc.stores.channelSessions.insertIfAbsent({
    id: e.sessionId,
    channelId: e.channelId,
    startedAt,
    endedAt: null,
  });
  const waiting = await svc.stores.matches.find({
    query: { channelId: e.channelId, status: "ready", liveSessionId: null },
  });
  const linked: MatchDoc[] = [];
  for (const d of waiting) {
    // Idempotent: a redelivered event finds the match linked already (liveSessionId set).
    linked.push(
      (await svc.stores.matches.updateById(d.id, {
        liveSessionId: e.sessionId,
        liveStartedAt: startedAt,
        version: d.version + 1,
      })) as MatchDoc,
    );
  }
  return linked;
}

export async function onStreamEnded(svc: TournamentsThis, e: StreamEnded): Promise<MatchDoc[]> {
  const endedAt = new Date(e.endedAt);
  const known = await svc.stores.channelSessions.findById(e.sessionId);
  if (!known) {
    // Ended before we heard it start (consumer added later): still record it, for the VOD's chapters.
    const startedAt = new Date(endedAt.getTime() - e.durationS * 1000);
    await svc.stores.channelSessions.insertIfAbsent({ id: e.sessionId, channelId: e.channelId, startedAt, endedAt });
  } else if (!known.endedAt) {
    await svc.stores.channelSessions.updateById(e.sessionId, { endedAt });
  }
  return svc.stores.matches.find({ query: { liveSessionId: e.sessionId } });
}

const seconds = (from: Date, to: Date): number => Math.round((to.getTime() - from.getTime()) / 100) / 10;

/** Chapters for every match the recorded session showed; idempotent (one chapter per video and match). */
export async function onVideoPublished(svc: TournamentsThis, e: VideoPublished): Promise<MatchDoc[]> {
  if (!e.liveSessionId) return [];
  const matches = await svc.stores.matches.find({ query: { liveSessionId: e.liveSessionId } });
  if (matches.length === 0) return [];
  const session = await svc.stores.channelSessions.findById(e.liveSessionId);
  if (!session) {
    svc.logger.warn(`VOD ${e.videoId}: live session ${e.liveSessionId} unknown here; no chapters`);
    return [];
  }
  const duration = e.durationS;
  const clamp = (s: number) => Math.min(Math.max(s, 0), duration);
  const tournaments = new Map(
    (await svc.stores.tournaments.findByIds([...new Set(matches.map((m) => m.tournamentId))])).map((t) => [t.id, t]),
  );
  const entrantIds = matches.flatMap((m) => m.sides.filter((s): s is string => s !== null && s !== BYE));
  const names = new Map(
    (await svc.stores.entrants.findByIds([...new Set(entrantIds)])).map((x) => [x.id, x.teamName ?? x.displayName]),
  );
  const updated: MatchDoc[] = [];
  for (const m of matches) {
    const from = m.liveStartedAt ?? session.startedAt;
    const to = m.completedAt ?? session.endedAt ?? new Date(session.startedAt.getTime() + duration * 1000);
    const startS = clamp(seconds(session.startedAt, from));
    const endS = clamp(seconds(session.startedAt, to));
    if (endS <= startS) continue;
    const side = (i: 0 | 1) => names.get(m.sides[i] ?? "") ?? "TBD";
    await svc.stores.chapters.insertIfAbsent({
      id: `${e.videoId}:${m.id}`,
      videoId: e.videoId,
      matchId: m.id,
      tournamentId: m.tournamentId,
      title: `${tournaments.get(m.tournamentId)?.name ?? "Match"}: ${side(0)} vs ${side(1)} (${m.key})`,
      startS,
      endS,
    });
    if (m.videoId !== e.videoId)
      updated.push(
        (await svc.stores.matches.updateById(m.id, { videoId: e.videoId, version: m.version + 1 })) as MatchDoc,
      );
  }
  return updated;
}
