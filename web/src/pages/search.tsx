import { useEffect, useState } from "preact/hooks";
import type { CursorPage, SearchHit, SearchResult } from "../api/schemas";
import { api, describeError } from "../api/http";
import { Notice } from "../components/form";
import { Highlighted } from "../components/highlighted";
import { LoadMore } from "../components/load-more";
import { countOf, formatCount, formatDuration, hueOf, timeAgo } from "../lib/format";
import { hitHref, SEARCH_TABS, typeLabel } from "../lib/search-hits";
import { useAsync } from "../lib/use-async";
import { useCursorList } from "../lib/use-cursor-list";
import { setTitle, type PageProps } from "../router";

const PAGE_SIZE = 20;

/**
 * /search?q=…&type=…: one ranked list across channels, live streams, videos,
 * people, tournaments and posts, with a tab per type (counts from the
 * search's facets), matched words marked, cursor-paged. Without a query it
 * shows what is trending.
 */
export default function Search({ query }: PageProps) {
  const q = (query.get("q") ?? "").trim();
  const tab = SEARCH_TABS.find((t) => t.id === query.get("type")) ?? SEARCH_TABS[0]!;
  const live = query.get("live") === "true";
  // Facets and corrections come with the first page; the next pages only add items.
  const [first, setFirst] = useState<SearchResult | undefined>(undefined);

  useEffect(() => setTitle(q ? `“${q}”` : "Search"), [q]);

  const results = useCursorList(
    async (cursor, signal): Promise<CursorPage<SearchHit>> => {
      if (!q) return { items: [], nextCursor: null };
      const page = await api("get /api/v1/search", {
        query: { q, type: tab.type, live: live || undefined, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
        signal,
      });
      if (!cursor && !signal.aborted) setFirst(page);
      return page;
    },
    [q, tab.id, live],
  );

  if (!q) return <Trending />;

  const facets = first?.facets;
  const countOf = (type: string | undefined) =>
    type ? facets?.type.find((f) => f.value === type)?.count : facets?.type.reduce((n, f) => n + f.count, 0);
  // A broad query's counts are extrapolated from a sample (docs/search.md): shown as "about".
  const about = facets?.estimated ? "≈" : "";
  const items = results.items ?? [];
  const corrected = Object.entries(first?.corrections ?? {});
  const href = (type: string, liveOnly = live) =>
    `/search?q=${encodeURIComponent(q)}${type === "all" ? "" : `&type=${type}`}${liveOnly ? "&live=true" : ""}`;

  return (
    <div class="page search-page">
      <div class="section-head">
        <h1>
          Results for <q>{q}</q>
        </h1>
        <a class="chip" href={href(tab.id, !live)} data-testid="live-filter">
          {live ? "Show everything" : `Live now only${facets ? ` (${about}${facets.live})` : ""}`}
        </a>
      </div>
      <nav class="tabs" aria-label="Result types">
        {SEARCH_TABS.map((t) => {
          const n = countOf(t.type);
          return (
            <a
              key={t.id}
              href={href(t.id)}
              aria-current={t.id === tab.id ? "page" : undefined}
              data-testid={`search-tab-${t.id}`}
            >
              {t.label}
              {n !== undefined && (
                <span class="tab-count" title={about ? "estimated" : undefined}>
                  {" "}
                  {about}
                  {formatCount(n)}
                </span>
              )}
            </a>
          );
        })}
      </nav>
      {corrected.length > 0 && (
        <p class="muted" data-testid="corrections">
          No exact match for {corrected.map(([word]) => `“${word}”`).join(", ")}: showing results for{" "}
          {corrected.map(([, instead]) => instead.map((w) => `“${w}”`).join(" or ")).join(", ")}.
        </p>
      )}
      {results.error ? <Notice kind="error">{describeError(results.error)}</Notice> : null}
      <div aria-live="polite" aria-busy={results.loading}>
        {results.loading && items.length === 0 && <p class="muted">Searching…</p>}
        {!results.loading && results.items && items.length === 0 && (
          <div class="empty-results">
            <p>
              Nothing matches “{q}”{tab.type ? ` in ${tab.label.toLowerCase()}` : ""}.
            </p>
            <p class="muted">Check the spelling, try fewer words, or look at another tab.</p>
          </div>
        )}
        <ol class="hits" data-testid="search-results">
          {items.map((hit) => (
            <HitRow key={`${hit.type}:${hit.id}`} hit={hit} />
          ))}
        </ol>
      </div>
      {results.items && !results.error && <LoadMore list={results} label="More results" />}
    </div>
  );
}

function HitRow({ hit, level = 2 }: { hit: SearchHit; level?: 2 | 3 }) {
  const Title = level === 2 ? "h2" : "h3";
  const href = hitHref(hit);
  const meta: string[] = [typeLabel(hit.type)];
  if (hit.category) meta.push(hit.category);
  if (hit.type === "channel" || hit.type === "user") meta.push(countOf(hit.followers, "follower"));
  if (hit.type === "video") meta.push(`${formatCount(hit.views)} ${hit.views === 1 ? "view" : "views"}`);
  if (hit.durationS) meta.push(formatDuration(hit.durationS));
  if (hit.publishedAt && !hit.live) meta.push(timeAgo(hit.publishedAt));
  return (
    <li class="hit" data-testid="search-hit" data-type={hit.type}>
      <a class="hit-art" href={href} tabIndex={-1} aria-hidden="true">
        <span class="art" style={{ "--hue": String(hueOf(hit.channelId ?? hit.id)) }}>
          <span>{(hit.category ?? hit.title).slice(0, 2).toUpperCase()}</span>
        </span>
      </a>
      <div class="hit-body">
        <Title class="hit-title">
          <a href={href}>
            <Highlighted text={hit.title} matches={hit.highlights.title} />
          </a>
          {hit.live && (
            <span class="pill live" data-testid="hit-live">
              LIVE · {formatCount(hit.viewers)}
            </span>
          )}
        </Title>
        <p class="hit-meta">{meta.join(" · ")}</p>
        {hit.snippet && hit.snippet !== hit.title && (
          <p class="hit-snippet">
            <Highlighted text={hit.snippet} matches={hit.highlights.snippet} />
          </p>
        )}
      </div>
    </li>
  );
}

/** No query: live now by viewers, recent videos by views, categories with streams (GET /search/trending). */
function Trending() {
  const trending = useAsync((signal) => api("get /api/v1/search/trending", { query: { limit: 12 }, signal }), []);
  const t = trending.data;
  return (
    <div class="page search-page">
      <h1>Search</h1>
      <p class="muted">Type in the search box above: channels, live streams, videos, people, tournaments and posts.</p>
      {trending.error ? <Notice kind="error">{describeError(trending.error)}</Notice> : null}
      {t && t.categories.length > 0 && (
        <section>
          <h2>Live categories</h2>
          <nav class="chips" aria-label="Live categories">
            {t.categories.map((c) => (
              <a class="chip" key={c.value} href={`/category/${encodeURIComponent(c.value)}`}>
                {c.value} ({c.count})
              </a>
            ))}
          </nav>
        </section>
      )}
      {t && t.live.length > 0 && (
        <section>
          <h2>Live now</h2>
          <ol class="hits">
            {t.live.map((hit) => (
              <HitRow key={hit.id} hit={hit} level={3} />
            ))}
          </ol>
        </section>
      )}
      {t && t.videos.length > 0 && (
        <section>
          <h2>Trending videos</h2>
          <ol class="hits">
            {t.videos.map((hit) => (
              <HitRow key={hit.id} hit={hit} level={3} />
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
