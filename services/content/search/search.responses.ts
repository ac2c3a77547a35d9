import { s } from "../../../lib/http/response-schema";
import type { TextMatch } from "./highlight";
import { DOC_TYPES } from "./search-doc";
import type { FacetCount, SearchFacets, SearchHit, SearchResult } from "./search-query";
import type { SuggestResult, TrendingResult } from "./suggest-trending";

/** Response bodies of /search routes, typed by the results the actions return (search.routes.ts). */
const MATCH = s.object<TextMatch>()({ start: s.integer(), length: s.integer() });

const FACET_COUNT = s.named("FacetCount", s.object<FacetCount>()({ value: s.string(), count: s.integer() }));

export const SEARCH_HIT = s.named(
  "SearchHit",
  s.object<SearchHit>()({
    type: s.enum(DOC_TYPES),
    id: s.string(),
    title: s.string(),
    snippet: s.nullable(s.string()),
    highlights: s.object<SearchHit["highlights"]>()({ title: s.array(MATCH), snippet: s.array(MATCH) }),
    path: s.nullable(s.string()),
    channelId: s.nullable(s.string()),
    ownerId: s.nullable(s.string()),
    category: s.nullable(s.string()),
    tags: s.array(s.string()),
    language: s.nullable(s.string()),
    live: s.boolean(),
    viewers: s.integer(),
    followers: s.integer(),
    views: s.integer(),
    durationS: s.nullable(s.number()),
    publishedAt: s.nullable(s.dateTime()),
    tier: s.integer(),
  }),
);

export const SEARCH_RESULT = s.named(
  "SearchResult",
  s.object<SearchResult>()({
    items: s.array(SEARCH_HIT),
    nextCursor: s.nullable(s.string()),
    facets: s.nullable(
      s.object<SearchFacets>()({
        type: s.array(FACET_COUNT),
        category: s.array(FACET_COUNT),
        language: s.array(FACET_COUNT),
        live: s.integer(),
        total: s.integer(),
        estimated: s.boolean(),
      }),
    ),
    corrections: s.record(s.array(s.string())),
  }),
);

export const SUGGESTIONS = s.named(
  "SearchSuggestions",
  s.object<SuggestResult>()({ items: s.array(SEARCH_HIT), completions: s.array(s.string()) }),
);

export const TRENDING = s.named(
  "Trending",
  s.object<TrendingResult>()({
    live: s.array(SEARCH_HIT),
    videos: s.array(SEARCH_HIT),
    categories: s.array(FACET_COUNT),
  }),
);
