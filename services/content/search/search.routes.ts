import { routeTable } from "../../edge/api/route-table";
import { SEARCH_RESULT, SUGGESTIONS, TRENDING } from "./search.responses";

/**
 * /api/v1/search/*: public reads. A signed-in caller's token is read so the
 * per-user rate limit applies to them; searches draw on the "search" budget
 * (per IP and per user) besides the general one.
 */
export const searchRoutes = routeTable({
  routes: [
    {
      method: "GET",
      path: "/search",
      action: "search.query",
      response: SEARCH_RESULT,
      auth: "optional",
      rateLimitBucket: "search",
      summary: "Search channels, live streams, videos, people, tournaments and posts (ranked, filters, facets)",
    },
    {
      method: "GET",
      path: "/search/suggest",
      action: "search.suggest",
      response: SUGGESTIONS,
      auth: "optional",
      rateLimitBucket: "search",
      summary: "Autocomplete: titles and words starting with what was typed",
    },
    {
      method: "GET",
      path: "/search/trending",
      action: "search.trending",
      response: TRENDING,
      auth: "optional",
      summary: "Live now by viewers, recent videos by views, live categories",
    },
  ],
});
