import { useMemo } from "preact/hooks";
import type { Channel, LiveSession, Video } from "../api/schemas";
import { api, describeError } from "../api/http";
import { CardSkeletons, EmptyTile, LiveCard, VideoCard } from "../components/cards";
import { useLiveDirectory } from "../lib/live-directory";
import { useCursorList } from "../lib/use-cursor-list";
import { LoadMore } from "../components/load-more";
import type { PageProps } from "../router";
import { navigate } from "../router";

/** Browse: live channels (viewer counts kept fresh), categories, recent videos; `?q=` filters them. */
export default function Home({ query }: PageProps) {
  const q = (query.get("q") ?? "").trim().toLowerCase();
  const live = useLiveDirectory({});
  const videos = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/videos", { query: { sort: "newest", limit: 24, ...(cursor ? { cursor } : {}) }, signal }),
    [],
  );

  const matches = (...fields: Array<string | null | undefined>) =>
    !q || fields.some((f) => f?.toLowerCase().includes(q));
  const liveShown = (live.sessions ?? []).filter((s) =>
    matches(s.title, s.category, live.channels.get(s.channelId)?.slug, live.channels.get(s.channelId)?.title),
  );
  const videosShown = (videos.items ?? []).filter((v: Video) => matches(v.title, v.category, ...v.tags));
  const categories = useMemo(
    () => topCategories(live.sessions ?? [], videos.items ?? []),
    [live.sessions, videos.items],
  );

  return (
    <div class="page home">
      {q ? (
        <div class="filter-banner" role="status">
          Showing results for <strong>“{query.get("q")}”</strong>
          <button class="btn ghost small" onClick={() => navigate("/", { replace: true })}>
            Clear
          </button>
        </div>
      ) : (
        <section class="hero" aria-labelledby="hero-title">
          <h1 id="hero-title">
            Watch. Chat. <span class="accent">Compete.</span>
          </h1>
          <p>Live gaming streams with chat, past broadcasts and videos from creators you follow.</p>
        </section>
      )}

      {categories.length > 0 && (
        <nav class="chips" aria-label="Categories">
          {categories.map((c) => (
            <a key={c.name} class="chip" href={`/category/${encodeURIComponent(c.name)}`}>
              {c.name}
              {c.live > 0 && <span class="chip-live">{c.live} live</span>}
            </a>
          ))}
        </nav>
      )}

      <section aria-labelledby="live-title">
        <div class="section-head">
          <h2 id="live-title">
            <span class="dot live" aria-hidden="true" /> Live now
          </h2>
        </div>
        {live.error ? (
          <p class="error-text" role="alert">
            {describeError(live.error)}
          </p>
        ) : live.sessions === undefined ? (
          <CardSkeletons />
        ) : liveShown.length === 0 ? (
          <EmptyTile>
            {q ? "No live channel matches." : "Nobody is live right now. Be the first: open the creator dashboard."}
          </EmptyTile>
        ) : (
          <div class="grid" data-testid="live-grid">
            {liveShown.map((s: LiveSession) => (
              <LiveCard key={s.id} session={s} channel={live.channels.get(s.channelId) as Channel | undefined} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="videos-title">
        <div class="section-head">
          <h2 id="videos-title">Recent videos</h2>
        </div>
        {videos.error ? (
          <p class="error-text" role="alert">
            {describeError(videos.error)}
          </p>
        ) : !videos.items ? (
          <CardSkeletons />
        ) : videosShown.length === 0 ? (
          <EmptyTile>{q ? "No video matches." : "No videos yet."}</EmptyTile>
        ) : (
          <div class="grid" data-testid="video-grid">
            {videosShown.map((v) => (
              <VideoCard key={v.id} video={v} />
            ))}
          </div>
        )}
        {videos.items && !videos.error && <LoadMore list={videos} label="More videos" />}
      </section>
    </div>
  );
}

function topCategories(sessions: LiveSession[], videos: Video[]): Array<{ name: string; live: number }> {
  const counts = new Map<string, { name: string; live: number; total: number }>();
  const bump = (name: string | null, live: boolean) => {
    if (!name) return;
    const entry = counts.get(name.toLowerCase()) ?? { name, live: 0, total: 0 };
    entry.total++;
    if (live) entry.live++;
    counts.set(name.toLowerCase(), entry);
  };
  sessions.forEach((s) => bump(s.category, true));
  videos.forEach((v) => bump(v.category, false));
  return [...counts.values()].sort((a, b) => b.live - a.live || b.total - a.total).slice(0, 12);
}
