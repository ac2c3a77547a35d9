import { useEffect, useRef, useState } from "preact/hooks";
import type { ClipView } from "../api/schemas";
import { api, describeError } from "../api/http";
import { currentUser } from "../api/session";
import { sameOriginMedia } from "../config";
import { formatCount, formatDuration, timeAgo } from "../lib/format";
import { useAsync } from "../lib/use-async";
import { navigate } from "../router";
import { ChannelArt } from "./cards";
import { Notice } from "./form";

/** The server's bounds (services/media/clips/clip-cut.ts). */
export const MIN_CLIP_S = 5;
export const MAX_CLIP_S = 60;

export type ClipSource = { kind: "live"; channelId: string } | { kind: "vod"; videoId: string };

/**
 * "Clip": the last N seconds of a live channel, or N seconds of a VOD from
 * the player's position (read when the form opens). The cut is a background
 * job; the clip page shows its progress.
 */
export function ClipButton({ source, defaultTitle }: { source: ClipSource; defaultTitle: string }) {
  const [open, setOpen] = useState(false);
  const [startS, setStartS] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) first.current?.focus();
  }, [open]);
  if (!currentUser.value) return null;

  const toggle = () => {
    if (!open && source.kind === "vod") {
      // The page's one player: its position is where a VOD clip starts.
      const video = document.querySelector<HTMLVideoElement>("[data-testid=player-video]");
      setStartS(Math.floor(video?.currentTime ?? 0));
    }
    setError(null);
    setOpen(!open);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const durationS = Number(data.get("durationS"));
    const title = String(data.get("title") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const clip = await api("post /api/v1/clips", {
        body:
          source.kind === "live"
            ? { channelId: source.channelId, durationS, title }
            : { videoId: source.videoId, startS: Number(data.get("startS")), durationS, title },
      });
      navigate(`/clip/${encodeURIComponent(clip.id)}`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="clip-action">
      <button class="btn" aria-expanded={open} aria-controls="clip-form" onClick={toggle} data-testid="clip-button">
        ✂ Clip
      </button>
      {open && (
        <form id="clip-form" class="panel form popover-form" onSubmit={submit} aria-label="Create a clip">
          {error && <Notice kind="error">{error}</Notice>}
          <label for="clip-title">Title</label>
          <input
            ref={first}
            id="clip-title"
            name="title"
            required
            maxLength={100}
            defaultValue={defaultTitle.slice(0, 100)}
          />
          {source.kind === "vod" && (
            <>
              <label for="clip-start">Starts at (seconds)</label>
              <input
                id="clip-start"
                name="startS"
                type="number"
                min={0}
                step={1}
                value={startS}
                onInput={(e) => setStartS(Number(e.currentTarget.value))}
              />
            </>
          )}
          <label for="clip-duration">
            {source.kind === "live" ? "The last … seconds" : "Length (seconds)"} ({MIN_CLIP_S}–{MAX_CLIP_S})
          </label>
          <input
            id="clip-duration"
            name="durationS"
            type="number"
            min={MIN_CLIP_S}
            max={MAX_CLIP_S}
            step={1}
            defaultValue="30"
            required
          />
          <div class="row end">
            <button type="button" class="btn ghost small" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" class="btn primary small" disabled={busy}>
              Create clip
            </button>
          </div>
        </form>
      )}
    </span>
  );
}

export function ClipCard({ clip }: { clip: ClipView }) {
  const href = `/clip/${encodeURIComponent(clip.id)}`;
  return (
    <article class="card video-card" data-testid="clip-card">
      <a href={href} class="thumb" tabIndex={-1} aria-hidden="true">
        {clip.thumbnailUrl ? (
          <img
            src={sameOriginMedia(clip.thumbnailUrl)}
            alt=""
            loading="lazy"
            decoding="async"
            width="320"
            height="180"
          />
        ) : (
          <ChannelArt seed={clip.channelId} label={clip.title} />
        )}
        <span class="pill duration">{formatDuration(clip.durationS)}</span>
      </a>
      <div class="card-body">
        <h3 class="card-title">
          <a href={href}>{clip.title}</a>
        </h3>
        <p class="card-meta">
          clipped by {clip.ownerName} · {formatCount(clip.viewCount)} {clip.viewCount === 1 ? "view" : "views"} ·{" "}
          {timeAgo(clip.createdAt)}
        </p>
      </div>
    </article>
  );
}

/** A channel's ready clips, newest first, a page at a time. */
export function ChannelClips({ channelId }: { channelId: string }) {
  const [pages, setPages] = useState<ClipView[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync((signal) => api("get /api/v1/clips", { query: { channelId, limit: 8 }, signal }), [channelId]);
  useEffect(() => {
    setPages(first.data ? [first.data.items] : []);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);
  const more = async () => {
    if (!cursor) return;
    const next = await api("get /api/v1/clips", { query: { channelId, limit: 8, cursor } }).catch(() => undefined);
    if (!next) return;
    setPages((p) => [...p, next.items]);
    setCursor(next.nextCursor);
  };
  const items = pages.flat();
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="channel-clips" class="section-gap" data-testid="channel-clips">
      <h2 id="channel-clips">Clips</h2>
      <div class="grid">
        {items.map((c) => (
          <ClipCard key={c.id} clip={c} />
        ))}
      </div>
      {cursor && (
        <button class="btn ghost" onClick={() => void more()}>
          More clips
        </button>
      )}
    </section>
  );
}
