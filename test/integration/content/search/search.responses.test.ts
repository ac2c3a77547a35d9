/**
 * Every /search operation called for real on a loaded corpus, each answer
 * checked against the status and body schema the OpenAPI document declares
 * (issue 9): ranked hits with highlights, facets, corrections, suggestions,
 * trending.
 */
import { ApiClient } from "../../../helpers/api-client";
import { ResponseCheck } from "../../../helpers/response-check";
import { loadCorpus } from "./corpus";
import { startSearch, type SearchHarness } from "./search-harness";

let h: SearchHarness;
let check: ResponseCheck;

beforeAll(async () => {
  h = await startSearch();
  await loadCorpus(h);
  check = await ResponseCheck.load(h.api.baseUrl);
});
afterAll(async () => {
  await h?.stop();
});

it("answers every /search operation with its declared status and body", async () => {
  const api = new ApiClient(h.api.baseUrl, undefined, check.fetch);
  const first = await api.request<{ items: unknown[]; nextCursor: string | null; facets: unknown }>(
    "GET",
    "/search?q=valorant&limit=1",
  );
  expect(first.status).toBe(200);
  expect(first.body.items.length).toBeGreaterThan(0);
  expect(first.body.facets).not.toBeNull();
  if (first.body.nextCursor)
    expect((await api.request("GET", `/search?q=valorant&limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
  expect((await api.request("GET", "/search?q=valornat")).status).toBe(200); // a correction
  expect((await api.request("GET", "/search/suggest?q=val")).status).toBe(200);
  expect((await api.request("GET", "/search/trending")).status).toBe(200);
  expect((await api.request("GET", "/search?q=x&type=nothing")).status).toBe(400);

  expect(check.violationsOf("search.")).toEqual([]);
  expect(check.unanswered("search.")).toEqual([]);
});
