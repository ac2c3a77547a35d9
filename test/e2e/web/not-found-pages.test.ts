/**
 * The web client's not-found pages in a real browser against one embedded node: each has a heading that
 * says what is missing and a line a person can read. The line used to carry the route's path parameter
 * name from the 404's detail ("slug: Channel x not found", "id: Video x not found"), and a missing
 * profile was a bare error box with no heading and no way on.
 */
import type { Page } from "playwright-core";
import type { WebNode } from "../../helpers/web-e2e";
import { browserSpecForFile } from "./browser-spec";
import { PHONE, watchedPage } from "./watched-page";

const MISSING_ID = "00000000-0000-0000-0000-000000000000";

describe("web client: not-found pages", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let page: Page;
  let problems: string[] = [];

  beforeAll(async () => {
    ({ web } = spec());
    ({ page, problems } = await watchedPage(spec().browser, PHONE));
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it.each([
    ["/c/no-such-channel", "Channel not found", "Channel no-such-channel not found"],
    [`/v/${MISSING_ID}`, "Video not found", `Video ${MISSING_ID} not found`],
    [`/u/${MISSING_ID}`, "User not found", `User ${MISSING_ID} not found`],
    [`/tournaments/${MISSING_ID}`, "Tournament not found", `Tournament ${MISSING_ID} not found`],
  ])("%s has the heading %j and the line %j, without a parameter name", async (path, heading, line) => {
    await page.goto(`${web.base}${path}`);
    const empty = page.locator(".empty");
    await empty.locator(`h1:has-text("${heading}")`).waitFor();
    expect((await empty.locator("p.muted").first().textContent())?.trim()).toBe(line);
    // A way on from a dead end.
    expect(await empty.locator("a").count()).toBeGreaterThan(0);
  });
});
