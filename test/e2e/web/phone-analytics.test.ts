/**
 * The creator's analytics page on a phone, in a real browser against one embedded node: every range tab is
 * on screen. The heading and the tab row shared one line, so the tabs were squeezed into a scroller that
 * showed "24 hours" and "7 days" and hid "30 days" and "90 days" with nothing to say they were there.
 */
import type { Page } from "playwright-core";
import { ok } from "../../helpers/api-client";
import type { WebNode } from "../../helpers/web-e2e";
import { browserSpecForFile } from "./browser-spec";
import { logInWithForm, signedIn } from "./page-setup";
import { PHONE, watchedPage } from "./watched-page";

const suffix = Date.now().toString(36);

describe("web client: analytics on a phone", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let page: Page;
  let problems: string[] = [];
  const username = `pha_${suffix}`;

  beforeAll(async () => {
    ({ web } = spec());
    const creator = await signedIn(web.base, username);
    ok(await creator.channels.create({ slug: `pha-${suffix}`, title: "A channel with a long enough title" }), 201);
    ({ page, problems } = await watchedPage(spec().browser, PHONE));
    await logInWithForm(page, web.base, username);
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it("shows every range tab inside the screen", async () => {
    await page.goto(`${web.base}/analytics`);
    const tabs = page.locator("nav.tabs[aria-label=Range] a");
    await tabs.filter({ hasText: "90 days" }).waitFor();
    const labels = await tabs.allTextContents();
    expect(labels).toEqual(["24 hours", "7 days", "30 days", "90 days"]);
    for (let i = 0; i < labels.length; i++) {
      const box = await tabs.nth(i).boundingBox();
      expect({ tab: labels[i], inside: !!box && box.x >= 0 && box.x + box.width <= PHONE.width }).toEqual({
        tab: labels[i],
        inside: true,
      });
    }
  });
});
