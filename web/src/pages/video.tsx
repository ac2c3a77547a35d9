import { useEffect, useState } from "preact/hooks";
import { ApiError, api, describeError } from "../api/http";
import { ClipButton } from "../components/clips";
import { Comments } from "../components/comments";
import { ReportButton } from "../components/report-button";
import "../components/community.css";
import { Player, preloadPlayer } from "../components/player";
import { sameOriginMedia } from "../config";
import { formatCount, formatDuration, timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { setTitle, type PageProps } from "../router";

/**
 * A video: asking for playback is what counts a view (once per viewer per
 * window, decided by the API), so the page asks once per visit and shows the
 * count the API returns.
 */
export default function VideoPage({ params }: PageProps) {
  const id = params.id ?? "";
  useEffect(preloadPlayer, []);
  const video = useAsync((signal) => api("get /api/v1/videos/{id}", { path: { id }, signal }), [id]);
  const ready = video.data?.status === "ready";
  const playback = useAsync(
    async (signal) => (ready ? api("get /api/v1/videos/{id}/playback", { path: { id }, signal }) : undefined),
    [id, ready],
  );
  const channel = useAsync(
    async (signal) =>
      video.data ? api("get /api/v1/channels/{id}", { path: { id: video.data.channelId }, signal }) : undefined,
    [video.data?.channelId],
  );
  const [expanded, setExpanded] = useState(false);
  const [seek, setSeek] = useState<{ toS: number } | undefined>(undefined);
  // Tournament matches played on the stream this video recorded (services/content/tournaments).
  const chapters = useAsync(
    async (signal) =>
      ready ? api("get /api/v1/videos/{videoId}/chapters", { path: { videoId: id }, signal }) : undefined,
    [id, ready],
  );
  useEffect(() => {
    if (video.data) setTitle(video.data.title);
  }, [video.data?.title]);

  if (video.error)
    return (
      <div class="empty">
        <h1>{video.error instanceof ApiError && video.error.status === 404 ? "Video not found" : "Could not load"}</h1>
        <p class="muted">{describeError(video.error)}</p>
        <a class="btn" href="/">
          Browse videos
        </a>
      </div>
    );
  const v = video.data;
  if (!v) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const views = playback.data?.viewCount ?? v.viewCount;

  return (
    <div class="watch no-chat">
      <div>
        {ready && playback.data ? (
          <Player
            src={sameOriginMedia(playback.data.hlsUrl)}
            live={false}
            title={v.title}
            poster={playback.data.thumbnailUrl ? sameOriginMedia(playback.data.thumbnailUrl) : undefined}
            onExpired={playback.reload}
            seek={seek}
          />
        ) : (
          <div class="offline-card">
            <div>
              <h2>
                {v.status === "processing"
                  ? "Processing…"
                  : v.status === "failed"
                    ? "Processing failed"
                    : v.status === "awaiting_upload"
                      ? "Waiting for the upload"
                      : playback.error
                        ? describeError(playback.error)
                        : "Loading…"}
              </h2>
              {v.status === "processing" && <p class="muted">The video will play here once it is ready.</p>}
            </div>
          </div>
        )}
        <div class="watch-info">
          <div>
            <h1>{v.title}</h1>
            <div class="watch-meta">
              {channel.data && (
                <a class="channel-name" href={`/c/${encodeURIComponent(channel.data.slug)}`}>
                  {channel.data.slug}
                </a>
              )}
              <span data-testid="view-count">
                {formatCount(views)} {views === 1 ? "view" : "views"}
              </span>
              <span>{timeAgo(v.publishedAt ?? v.createdAt)}</span>
              {v.category && <a href={`/category/${encodeURIComponent(v.category)}`}>{v.category}</a>}
              {v.origin === "recording" && <span class="status-tag">Past broadcast</span>}
            </div>
          </div>
          <div class="row">
            {ready && <ClipButton source={{ kind: "vod", videoId: v.id }} defaultTitle={v.title} />}
            <ReportButton target={{ kind: "video", id: v.id }} label="Report video" />
          </div>
        </div>
        {(chapters.data?.items.length ?? 0) > 0 && (
          <section class="panel" aria-labelledby="chapters-title" style={{ marginTop: "1rem" }}>
            <h2 id="chapters-title">Chapters</h2>
            <ol class="list chapters">
              {chapters.data?.items.map((c) => (
                <li key={c.matchId ?? c.markerId}>
                  <button class="linklike" onClick={() => setSeek({ toS: c.startS })}>
                    {formatDuration(c.startS)} {c.title}
                  </button>
                  {c.tournamentId && <a href={`/tournaments/${encodeURIComponent(c.tournamentId)}`}>tournament</a>}
                </li>
              ))}
            </ol>
          </section>
        )}
        {v.description && (
          <div class="panel" style={{ marginTop: "1rem" }}>
            <p class={`description${expanded ? "" : " clamp"}`}>
              {expanded ? v.description : v.description.slice(0, 280)}
            </p>
            {v.description.length > 280 && (
              <button class="linklike" onClick={() => setExpanded(!expanded)} aria-expanded={expanded}>
                {expanded ? "Show less" : "Show more"}
              </button>
            )}
            {v.tags.length > 0 && (
              <p class="muted">
                {v.tags.map((t) => (
                  <span key={t} class="status-tag" style={{ marginRight: "0.3rem" }}>
                    #{t}
                  </span>
                ))}
              </p>
            )}
          </div>
        )}
        <Comments videoId={v.id} ownerId={v.ownerId} total={v.commentCount} />
      </div>
    </div>
  );
}
