import { useEffect } from "preact/hooks";
import type { LiveSession } from "../api/schemas";
import { api, describeError } from "../api/http";
import { CardSkeletons, EmptyTile, LiveCard, VideoCard } from "../components/cards";
import { useLiveDirectory } from "../lib/live-directory";
import { useCursorList } from "../lib/use-cursor-list";
import { LoadMore } from "../components/load-more";
import { setTitle, type PageProps } from "../router";

/** One category: who is live in it and its videos (server-side filters). */
export default function Category({ params }: PageProps) {
  const name = params.name ?? "";
  useEffect(() => setTitle(name), [name]);
  const live = useLiveDirectory({ category: name });
  const videos = useCursorList(
    (cursor, signal) =>
      api("get /api/v1/videos", {
        query: { category: name, sort: "popular", limit: 24, ...(cursor ? { cursor } : {}) },
        signal,
      }),
    [name],
  );
  return (
    <div class="page">
      <p class="crumbs">
        <a href="/">Browse</a> / Category
      </p>
      <h1>{name}</h1>
      <section aria-labelledby="cat-live">
        <h2 id="cat-live">
          <span class="dot live" aria-hidden="true" /> Live in {name}
        </h2>
        {live.error ? (
          <p class="error-text" role="alert">
            {describeError(live.error)}
          </p>
        ) : live.sessions === undefined ? (
          <CardSkeletons />
        ) : live.sessions.length === 0 ? (
          <EmptyTile>Nobody is live in {name} right now.</EmptyTile>
        ) : (
          <div class="grid">
            {live.sessions.map((s: LiveSession) => (
              <LiveCard key={s.id} session={s} channel={live.channels.get(s.channelId)} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="cat-videos">
        <h2 id="cat-videos">Videos</h2>
        {videos.error ? (
          <p class="error-text" role="alert">
            {describeError(videos.error)}
          </p>
        ) : !videos.items ? (
          <CardSkeletons />
        ) : videos.items.length === 0 ? (
          <EmptyTile>No videos in {name} yet.</EmptyTile>
        ) : (
          <>
            <div class="grid">
              {videos.items.map((v) => (
                <VideoCard key={v.id} video={v} />
              ))}
            </div>
            <LoadMore list={videos} label="More videos" />
          </>
        )}
      </section>
    </div>
  );
}
