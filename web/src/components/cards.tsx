import type { ComponentChildren } from "preact";
import type { Channel, LiveSession, Video } from "../api/schemas";
import { sameOriginMedia } from "../config";
import { formatCount, formatDuration, hueOf, timeAgo } from "../lib/format";

/** Generated art for a live channel: live streams have no thumbnail yet. */
export function ChannelArt({ seed, label }: { seed: string; label: string }) {
  const hue = hueOf(seed);
  return (
    <div class="art" data-hue={hue} style={{ "--hue": String(hue) }} aria-hidden="true">
      <span>{label.slice(0, 2).toUpperCase()}</span>
    </div>
  );
}

export function LiveCard({ session, channel }: { session: LiveSession; channel: Channel | undefined }) {
  const href = channel ? `/c/${encodeURIComponent(channel.slug)}` : undefined;
  const name = channel?.slug ?? "channel";
  return (
    <article class="card live-card">
      <a href={href} class="thumb" aria-label={`${session.title} — ${name}, live with ${session.viewerCount} viewers`}>
        <ChannelArt seed={session.channelId} label={session.category ?? name} />
        <span class="pill live">LIVE</span>
        <span class="pill viewers" data-testid="card-viewers">
          {formatCount(session.viewerCount)} watching
        </span>
      </a>
      <div class="card-body">
        <h3 class="card-title">
          <a href={href}>{session.title}</a>
        </h3>
        <p class="card-meta">
          <span class="channel-name">{name}</span>
          {session.category && (
            <>
              {" · "}
              <a href={`/category/${encodeURIComponent(session.category)}`}>{session.category}</a>
            </>
          )}
        </p>
      </div>
    </article>
  );
}

export function VideoCard({ video, channel }: { video: Video; channel?: Channel | undefined }) {
  const href = `/v/${encodeURIComponent(video.id)}`;
  return (
    <article class="card video-card">
      <a href={href} class="thumb" tabIndex={-1} aria-hidden="true">
        {video.thumbnailUrl ? (
          <img
            src={sameOriginMedia(video.thumbnailUrl)}
            alt=""
            loading="lazy"
            decoding="async"
            width="320"
            height="180"
          />
        ) : (
          <ChannelArt seed={video.channelId} label={video.category ?? video.title} />
        )}
        {video.durationS ? <span class="pill duration">{formatDuration(video.durationS)}</span> : null}
        {video.origin === "recording" && <span class="pill vod">PAST BROADCAST</span>}
      </a>
      <div class="card-body">
        <h3 class="card-title">
          <a href={href}>{video.title}</a>
        </h3>
        <p class="card-meta">
          {channel && <span class="channel-name">{channel.slug} · </span>}
          {formatCount(video.viewCount)} {video.viewCount === 1 ? "view" : "views"} ·{" "}
          {timeAgo(video.publishedAt ?? video.createdAt)}
        </p>
      </div>
    </article>
  );
}

/** One row of placeholder cards (the grid shows its first row only), the height of real cards. */
export function CardSkeletons() {
  return (
    <div class="grid one-row" aria-busy="true" aria-label="Loading">
      {Array.from({ length: 6 }, (_, i) => (
        <div class="card skeleton" key={i} aria-hidden="true">
          <div class="thumb" />
          <div class="card-body">
            <div class="line" />
            <div class="line short" />
          </div>
        </div>
      ))}
    </div>
  );
}

/** An empty list shown as a card-sized tile, so the page does not jump when the list turns out empty. */
export function EmptyTile({ children }: { children: ComponentChildren }) {
  return (
    <div class="grid one-row">
      <div class="card empty-tile">
        <div class="thumb">
          <p>{children}</p>
        </div>
      </div>
    </div>
  );
}
