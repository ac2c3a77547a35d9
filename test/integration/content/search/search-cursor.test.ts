/**
 * A /search cursor is the client's to pass back unchanged; one that was not (a key of the wrong types) is a
 * 400 on `cursor`, never a statement PostgreSQL refuses (a 500).
 */
import { ApiClient } from "../../../helpers/api-client";
import { startSearch, type SearchHarness } from "./search-harness";

let h: SearchHarness;

beforeAll(async () => {
  h = await startSearch();
});
afterAll(async () => {
  await h?.stop();
});

const cursorOf = (key: unknown[]): string => Buffer.from(JSON.stringify(key)).toString("base64url");

it("answers 400 to a search cursor whose key has the wrong types", async () => {
  const api = new ApiClient(h.api.baseUrl);
  const forged = [
    ["x", false, 1, "doc"],
    [1.5, false, 1, "doc"],
    [1, "yes", 1, "doc"],
    [1, false, "lots", "doc"],
    [1, false, 1, 7],
    [1, false, null, "doc"],
  ];
  const statuses = [];
  for (const key of forged)
    statuses.push({ key, status: (await api.request("GET", `/search?q=speedrun&cursor=${cursorOf(key)}`)).status });
  expect(statuses).toEqual(forged.map((key) => ({ key, status: 400 })));
  // A well-formed key still pages (nothing after it here).
  expect((await api.request("GET", `/search?q=speedrun&cursor=${cursorOf([1, false, 0.5, "doc"])}`)).status).toBe(200);
});
