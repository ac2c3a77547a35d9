/**
 * Follower counts read as English in a real browser against one embedded node: a channel with one follower
 * says "1 follower" on its page and on its owner's profile (both said "1 followers").
 */
import type { Page } from "playwright-core";
import { ok } from "../../helpers/api-client";
import type { WebNode } from "../../helpers/web-e2e";
import { browserSpecForFile } from "./browser-spec";
import { signedIn } from "./page-setup";
import { watchedPage } from "./watched-page";

const suffix = Date.now().toString(36);

describe("web client: follower counts", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let page: Page;
  let problems: string[] = [];
  const slug = `fw-${suffix}`;
  let ownerId = "";

  beforeAll(async () => {
    ({ web } = spec());
    const owner = await signedIn(web.base, `fwo_${suffix}`);
    const channel = ok(await owner.channels.create({ slug, title: "Followed once" }), 201) as {
      channel: { id: string; ownerId: string };
    };
    ownerId = channel.channel.ownerId;
    const fan = await signedIn(web.base, `fwf_${suffix}`);
    ok(await fan.request("PUT", `/channels/${channel.channel.id}/follow`));
    ({ page, problems } = await watchedPage(spec().browser));
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it("the channel page says 1 follower", async () => {
    await page.goto(`${web.base}/c/${slug}`);
    await page.getByText(/^1 followers?$/).waitFor();
    expect(await page.getByText("1 followers").count()).toBe(0);
    expect(await page.getByText("1 follower", { exact: true }).count()).toBe(1);
  });

  it("the owner's profile lists the channel with 1 follower", async () => {
    await page.goto(`${web.base}/u/${ownerId}`);
    const row = page.locator("li", { hasText: "Followed once" });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/· 1 follower$/);
  });
});
