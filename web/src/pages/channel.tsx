import { useEffect, useState } from "preact/hooks";
import type { ChannelLiveStatus } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { VideoCard } from "../components/cards";
import { ChannelActions, ChannelCommunity } from "../components/channel-community";
import { Chat } from "../components/chat";
import { FollowButton } from "../components/follow-button";
import { MuteAlertsButton } from "../components/mute-alerts-button";
import { Player, preloadPlayer } from "../components/player";
import { sameOriginMedia } from "../config";
import { countOf, formatCount, timeAgo } from "../lib/format";
import { useAsync, useInterval } from "../lib/use-async";
import { useCursorList } from "../lib/use-cursor-list";
import { LoadMore } from "../components/load-more";
import { setTitle, type PageProps } from "../router";

/** A channel: the live player (or the offline card and past videos), the live viewer count, chat beside it. */
export default function ChannelPage({ params }: PageProps) {
  const slug = params.slug ?? "";
  useEffect(preloadPlayer, []);
  const channel = useAsync((signal) => api("get /api/v1/channels/by-slug/{slug}", { path: { slug }, signal }), [slug]);
  const [status, setStatus] = useState<ChannelLiveStatus | undefined>(undefined);
  const [viewers, setViewers] = useState<number | null>(null);
  const [following, setFollowing] = useState(false);
  const channelId = channel.data?.id;

  const loadStatus = async () => {
    if (!channelId) return;
    try {
      const next = await api("get /api/v1/streams/channels/{channelId}", { path: { channelId } });
      // Keep the player's source stable while the same session plays: a new signed URL would restart it.
      setStatus((prev) =>
        prev && prev.live && next.live && prev.session?.id === next.session?.id && prev.playbackUrl
          ? { ...next, playbackUrl: prev.playbackUrl }
          : next,
      );
    } catch {
      // keep what we show; the next poll tries again
    }
  };
  const refreshSource = async () => {
    if (!channelId) return;
    const next = await api("get /api/v1/streams/channels/{channelId}", { path: { channelId } }).catch(() => undefined);
    if (next) setStatus(next);
  };

  useEffect(() => {
    setStatus(undefined);
    setViewers(null);
    setFollowing(false);
    void loadStatus();
  }, [channelId]);
  useInterval(() => void loadStatus(), 15_000, [channelId]);
  useEffect(() => {
    if (channel.data)
      setTitle(status?.live ? `${status.session?.title ?? channel.data.title} (live)` : channel.data.title);
  }, [channel.data, status?.live]);

  if (channel.error)
    return (
      <div class="empty">
        <h1>
          {channel.error instanceof ApiError && channel.error.status === 404 ? "Channel not found" : "Could not load"}
        </h1>
        <p class="muted">{describeError(channel.error)}</p>
        <a class="btn" href="/">
          Browse live channels
        </a>
      </div>
    );
  if (!channel.data) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;

  const c = channel.data;
  const live = status?.live === true && !!status.playbackUrl;
  const session = status?.session ?? null;
  const count = viewers ?? session?.viewerCount ?? 0;
  const isOwner = currentUser.value?.id === c.ownerId;

  return (
    <div class="watch">
      <div>
        {live ? (
          <Player
            key={session?.id}
            src={sameOriginMedia(status.playbackUrl as string)}
            live
            title={session?.title ?? c.title}
            onExpired={() => void refreshSource()}
          />
        ) : (
          <div class="offline-card" data-testid="offline">
            <div>
              <h2>{status === undefined ? "Checking the stream…" : `${c.slug} is offline`}</h2>
              {status !== undefined && <p class="muted">Follow the channel to hear when it goes live.</p>}
            </div>
          </div>
        )}
        <div class="watch-info">
          <div>
            <h1>{live ? session?.title : c.title}</h1>
            <div class="watch-meta">
              <strong class="channel-name">{c.slug}</strong>
              {(session?.category ?? c.category) && (
                <a href={`/category/${encodeURIComponent((session?.category ?? c.category) as string)}`}>
                  {session?.category ?? c.category}
                </a>
              )}
              {live && (
                <span class="viewer-count" data-testid="viewer-count" aria-live="polite">
                  <span class="dot live" aria-hidden="true" /> {formatCount(count)} watching
                </span>
              )}
              {live && session && <span>started {timeAgo(session.startedAt)}</span>}
              <span>{countOf(c.followerCount, "follower")}</span>
              <a href={`/blog/${encodeURIComponent(c.id)}`}>Blog</a>
            </div>
          </div>
          <div class="row">
            {isOwner ? (
              <a class="btn" href="/dashboard">
                Creator dashboard
              </a>
            ) : (
              <>
                <FollowButton channelId={c.id} onChange={setFollowing} />
                {following && <MuteAlertsButton channelId={c.id} channelTitle={c.title} />}
              </>
            )}
            <ChannelActions channel={c} session={session} live={live} />
          </div>
        </div>
        {live && <TournamentMatch channelId={c.id} />}
        <ChannelCommunity channel={c} live={live} />
        <ChannelVideos channelId={c.id} />
      </div>
      <Chat channelId={c.id} ownerId={c.ownerId} onViewers={setViewers} />
    </div>
  );
}

/** The tournament match this stream shows, when an organizer put one on this channel. */
function TournamentMatch({ channelId }: { channelId: string }) {
  const current = useAsync(
    (signal) => api("get /api/v1/channels/{channelId}/tournament-match", { path: { channelId }, signal }),
    [channelId],
  );
  useInterval(() => current.reload(), 30_000, [channelId]);
  const m = current.data?.match;
  if (!m) return null;
  return (
    <a class="panel row match-banner" href={`/tournaments/${encodeURIComponent(m.tournamentId)}`}>
      <span class="live-badge">MATCH</span>
      <strong>{m.sides[0].name ?? "TBD"}</strong>
      <span class="side-score">
        {m.sides[0].score ?? 0} – {m.sides[1].score ?? 0}
      </span>
      <strong>{m.sides[1].name ?? "TBD"}</strong>
      <span class="muted">round {m.round}</span>
    </a>
  );
}

function ChannelVideos({ channelId }: { channelId: string }) {
  // What plays, for the owner too (whose own listing would include drafts): filtered by the server, so
  // every page is full.
  const videos = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/videos", {
        query: {
          channelId,
          visibility: "public",
          status: "ready",
          sort: "newest",
          limit: 8,
          ...(cursor ? { cursor } : {}),
        },
        signal,
      }),
    [channelId],
  );
  const items = videos.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="channel-videos" style={{ marginTop: "1.5rem" }}>
      <h2 id="channel-videos">Videos</h2>
      <div class="grid">
        {items.map((v) => (
          <VideoCard key={v.id} video={v} />
        ))}
      </div>
      <LoadMore list={videos} label="More videos" />
    </section>
  );
}
