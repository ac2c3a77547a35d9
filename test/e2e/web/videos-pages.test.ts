/**
 * The video lists of the web client on GET /videos cursor pages, in a real
 * browser against one embedded node: the creator's dashboard lists 50
 * videos (drafts included) and a "Load more" button appends the rest, then
 * disappears on the last page, and a row deleted there goes alone (the list
 * used to reload, folding back to its first page); the home, category and channel pages render
 * their (empty) public lists without an error.
 */
import type { Browser, Page } from "playwright-core";
import { ApiClient, ok } from "../../helpers/api-client";
import { launchChromium, type LaunchedBrowser } from "../../helpers/browser";
import { ensureWebBuilt, startWebNode, type WebNode } from "../../helpers/web-e2e";

const PASSWORD = "violet-tundra-42-kettle";
const suffix = Date.now().toString(36);
const DRAFTS = 53;

describe("web client: video lists follow the cursor", () => {
  let web: WebNode;
  let chromium: LaunchedBrowser;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const username = `vlist_${suffix}`;
  let slug = "";

  beforeAll(async () => {
    ensureWebBuilt();
    web = await startWebNode();
    chromium = await launchChromium();
    browser = chromium.browser;
    const anon = new ApiClient(web.base);
    ok(await anon.auth.register({ email: `${username}@example.test`, username, password: PASSWORD }), 201);
    const login = ok(await anon.auth.login({ login: username, password: PASSWORD }));
    const api = anon.as(login.accessToken);
    slug = `vlist-${suffix}`;
    const channel = ok(await api.channels.create({ slug, title: "Video lists", category: "Speedruns" }), 201) as {
      channel: { id: string };
    };
    // Drafts (no upload): only their owner lists them, newest first.
    for (let i = 0; i < DRAFTS; i++)
      ok(await api.request("POST", "/videos", { channelId: channel.channel.id, title: `Draft ${i}` }), 201);
    const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(`${web.base}/login`);
    await page.fill("#login", username);
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }, 240_000);

  afterAll(async () => {
    await chromium?.close();
    await web?.stop();
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it("dashboard: the first 50 videos, then Load more appends the rest and goes away", async () => {
    await page.goto(`${web.base}/dashboard/videos`);
    const rows = page.locator("[data-testid=my-videos] > li");
    await rows.nth(49).waitFor();
    expect(await rows.count()).toBe(50);
    const more = page.locator("button:has-text('Load more')");
    await more.click();
    await rows.nth(DRAFTS - 1).waitFor();
    // Every draft once: the second page starts where the first ended. Polling (drafts are not
    // processing) must not fold the list back to one page.
    await page.waitForTimeout(5000);
    const titles = await page.locator("[data-testid=my-videos] > li strong").allTextContents();
    expect(titles.sort()).toEqual(Array.from({ length: DRAFTS }, (_, i) => `Draft ${i}`).sort());
    await more.waitFor({ state: "detached" });
  });

  it("dashboard: deleting a video of an appended page removes that row, the other pages stay", async () => {
    // The list as the previous step left it: every draft, both pages.
    const rows = page.locator("[data-testid=my-videos] > li");
    expect(await rows.count()).toBe(DRAFTS);
    page.once("dialog", (dialog) => void dialog.accept());
    // Newest first: the oldest draft is on the appended page.
    await rows.filter({ hasText: "Draft 0" }).locator("button:has-text('Delete')").click();
    await rows.filter({ hasText: "Draft 0" }).waitFor({ state: "detached" });
    expect(await rows.count()).toBe(DRAFTS - 1);
    expect(await page.locator("button:has-text('Load more')").count()).toBe(0);
  });

  it("home, category and channel pages list no draft and offer no Load more", async () => {
    await page.goto(`${web.base}/`);
    await page.waitForSelector("text=No videos yet.");
    await page.goto(`${web.base}/category/Speedruns`);
    await page.waitForSelector("text=No videos in Speedruns yet.");
    await page.goto(`${web.base}/c/${slug}`);
    await page.waitForSelector("h1:has-text('Video lists')");
    expect(await page.locator("#channel-videos").count()).toBe(0);
    expect(await page.locator("button:has-text('More videos')").count()).toBe(0);
  });
});
