import { useEffect, useState } from "preact/hooks";
import type { ClipPlayback } from "../api/schemas";
import { ApiError, api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { Notice } from "../components/form";
import { sameOriginMedia } from "../config";
import { formatCount, formatDuration, timeAgo } from "../lib/format";
import { useAsync, useInterval } from "../lib/use-async";
import { navigate, setTitle, type PageProps } from "../router";
import "../components/community.css";

/**
 * A clip: its progress while ffmpeg cuts it (queued → processing → ready),
 * then the MP4 with its view count. Asking for playback is what counts a
 * view, so the page asks once per visit. The clipper, the channel owner,
 * its moderators and admins may delete it.
 */
export default function ClipPage({ params }: PageProps) {
  const id = params.id ?? "";
  const clip = useAsync((signal) => api("get /api/v1/clips/{id}", { path: { id }, signal }), [id]);
  const c = clip.data;
  const pending = c?.status === "queued" || c?.status === "processing";
  useInterval(() => pending && clip.reload(), 1500, [pending]);
  const [playback, setPlayback] = useState<ClipPlayback | null>(null);
  const [playError, setPlayError] = useState<string | null>(null);
  const ready = c?.status === "ready";
  useEffect(() => {
    if (!ready) return;
    api("get /api/v1/clips/{id}/playback", { path: { id } })
      .then(setPlayback)
      .catch((err: unknown) => setPlayError(describeError(err)));
  }, [id, ready]);
  const channel = useAsync(
    async (signal) => (c ? api("get /api/v1/channels/{id}", { path: { id: c.channelId }, signal }) : undefined),
    [c?.channelId],
  );
  const me = currentUser.value;
  const policy = useAsync(
    async (signal) =>
      c && me
        ? api("get /api/v1/channels/{channelId}/chat-policy", { path: { channelId: c.channelId }, signal })
        : undefined,
    [c?.channelId, me?.id],
  );
  useEffect(() => {
    if (c) setTitle(c.title);
  }, [c?.title]);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (clip.error)
    return (
      <div class="empty">
        <h1>{clip.error instanceof ApiError && clip.error.status === 404 ? "Clip not found" : "Could not load"}</h1>
        <p class="muted">{describeError(clip.error)}</p>
      </div>
    );
  if (!c) return <div class="page-loading" aria-busy="true" aria-label="Loading" />;
  const canDelete =
    !!me &&
    (me.id === c.ownerId ||
      me.roles.includes("admin") ||
      me.id === policy.data?.ownerId ||
      (policy.data?.moderatorIds ?? []).includes(me.id));
  const views = playback?.viewCount ?? c.viewCount;
  const remove = async () => {
    if (!confirm("Delete this clip?")) return;
    try {
      await api("delete /api/v1/clips/{id}", { path: { id } });
      navigate(channel.data ? `/c/${encodeURIComponent(channel.data.slug)}` : "/", { replace: true });
    } catch (err) {
      setDeleteError(describeError(err));
    }
  };

  return (
    <div class="watch no-chat">
      <div>
        {ready && playback ? (
          <div class="player clip-player">
            <video
              data-testid="player-video"
              src={sameOriginMedia(playback.url)}
              poster={playback.thumbnailUrl ? sameOriginMedia(playback.thumbnailUrl) : undefined}
              controls
              autoPlay
              muted
              playsInline
              aria-label={`Clip: ${c.title}`}
            />
          </div>
        ) : (
          <div class="offline-card" data-testid="clip-status">
            <div>
              <h2>
                {c.status === "failed"
                  ? "This clip could not be made"
                  : pending
                    ? c.status === "queued"
                      ? "Waiting to be cut…"
                      : "Cutting the clip…"
                    : (playError ?? "Loading…")}
              </h2>
              {c.status === "failed" && c.failureReason && <p class="muted">{c.failureReason}</p>}
              {pending && <p class="muted">This takes about as long as the clip itself.</p>}
            </div>
          </div>
        )}
        <div class="watch-info">
          <div>
            <h1>{c.title}</h1>
            <div class="watch-meta">
              {channel.data && (
                <a class="channel-name" href={`/c/${encodeURIComponent(channel.data.slug)}`}>
                  {channel.data.slug}
                </a>
              )}
              <span>clipped by {c.ownerName}</span>
              <span data-testid="clip-views">
                {formatCount(views)} {views === 1 ? "view" : "views"}
              </span>
              <span>{formatDuration(c.durationS)}</span>
              <span>{timeAgo(c.createdAt)}</span>
              {c.videoId && (
                <a href={`/v/${encodeURIComponent(c.videoId)}`}>
                  {c.sourceKind === "vod" ? "full video" : "past broadcast"}
                </a>
              )}
            </div>
          </div>
          <div class="row">
            {canDelete && (
              <button class="btn danger small" onClick={() => void remove()} data-testid="clip-delete">
                Delete clip
              </button>
            )}
          </div>
        </div>
        {deleteError && <Notice kind="error">{deleteError}</Notice>}
      </div>
    </div>
  );
}
