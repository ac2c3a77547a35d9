/**
 * The video lists of the web client on GET /videos cursor pages, in a real
 * browser against one embedded node: the creator's dashboard lists 50
 * videos (drafts included) and a "Load more" button appends the rest, then
 * disappears on the last page, and a row deleted there goes alone (the list
 * used to reload, folding back to its first page); the home, category and channel pages render
 * their (empty) public lists without an error. Last, two real uploads transcoding: the dashboard
 * refreshes both with one GET /me/videos per poll (it used to send a GET per processing video),
 * in place, and stops polling once none is processing.
 */
import { readFileSync } from "node:fs";
import type { Page, Request } from "playwright-core";
import { ok, type ApiClient } from "../../helpers/api-client";
import { createTempDir } from "../../helpers/infra";
import type { WebNode } from "../../helpers/web-e2e";
import { makeClip } from "../../integration/media/videos/helpers/clip";
import { videosApi } from "../../integration/media/videos/helpers/videos-api";
import { browserSpecForFile } from "./browser-spec";
import { logInWithForm, signedIn } from "./page-setup";
import { watchedPage } from "./watched-page";

const suffix = Date.now().toString(36);
const DRAFTS = 53;

describe("web client: video lists follow the cursor", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let page: Page;
  let problems: string[] = [];
  const username = `vlist_${suffix}`;
  let slug = "";
  let creator: ApiClient;
  let channelId = "";

  beforeAll(async () => {
    ({ web } = spec());
    creator = await signedIn(web.base, username);
    slug = `vlist-${suffix}`;
    const channel = ok(await creator.channels.create({ slug, title: "Video lists", category: "Speedruns" }), 201) as {
      channel: { id: string };
    };
    channelId = channel.channel.id;
    // Drafts (no upload): only their owner lists them, newest first.
    for (let i = 0; i < DRAFTS; i++)
      ok(await creator.request("POST", "/videos", { channelId, title: `Draft ${i}` }), 201);
    ({ page, problems } = await watchedPage(spec().browser));
    await logInWithForm(page, web.base, username);
  }, 240_000);

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
    // Every draft once: the second page starts where the first ended. No poll runs here (drafts are
    // not processing: nothing is requested); that polling keeps appended pages is the last step's.
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

  it("dashboard: two videos processing are refreshed by one request per poll, in place; none once both are ready", async () => {
    const clips = createTempDir("arena-vlist-clips-");
    const videos = videosApi(creator);
    // The long one transcodes first (one job at a time per node) while the short one waits its turn: both are
    // still processing when the dashboard lists them (checked below, not assumed).
    const ids: string[] = [];
    for (const [title, seconds] of [
      ["Clip long", 30],
      ["Clip short", 2],
    ] as const) {
      const video = ok(await creator.request("POST", "/videos", { channelId, title }), 201) as { id: string };
      const clip = readFileSync(makeClip(clips.path, { name: `${title.replace(" ", "-")}.mp4`, seconds }));
      ok(await videos.upload(video.id, clip, "video/mp4"));
      ids.push(video.id);
    }
    clips.remove?.();

    // Fake timers that run in real time until the end, where they are paused and advanced by hand: polls
    // that do not happen are then shown without waiting for them. (Paused from the start, Preact's effects,
    // which wait for a frame, would not run.)
    await page.clock.install({ time: Date.now() });
    const polls: Array<{ at: number; ids: string[] }> = [];
    const singleReads: string[] = [];
    const onRequest = (r: Request) => {
      if (r.method() !== "GET") return;
      const url = new URL(r.url());
      if (url.pathname === "/api/v1/me/videos")
        polls.push({ at: Date.now(), ids: (url.searchParams.get("ids") ?? "").split(",").sort() });
      else if (/^\/api\/v1\/videos\/[^/]+$/.test(url.pathname)) singleReads.push(url.pathname);
    };
    /** A request of our own, answered: the page's requests are seen in order, so every earlier one is counted. */
    const seenSoFar = () => page.evaluate(() => fetch("/health/ready").then((r) => r.status));
    page.on("request", onRequest);
    try {
      await page.goto(`${web.base}/dashboard/videos`);
      const rows = page.locator("[data-testid=my-videos] > li");
      const total = DRAFTS - 1 + ids.length;
      await rows.nth(49).waitFor();
      await page.locator("button:has-text('Load more')").click();
      await rows.nth(total - 1).waitFor();
      const status = (title: string) => rows.filter({ hasText: title }).locator(".status-tag").first();
      expect([await status("Clip long").textContent(), await status("Clip short").textContent()]).toEqual([
        "processing",
        "processing",
      ]);

      // A poll: one request for both rows (the next tick is 4 s away).
      await page.waitForResponse((res) => new URL(res.url()).pathname === "/api/v1/me/videos");
      await seenSoFar();
      expect(polls[0]?.ids).toEqual([...ids].sort());
      expect(singleReads).toEqual([]);

      // Polled until both are ready, in place: the appended page stays, nothing is reloaded.
      await status("Clip long").filter({ hasText: "ready" }).waitFor({ timeout: 120_000 });
      await status("Clip short").filter({ hasText: "ready" }).waitFor({ timeout: 120_000 });
      expect(await rows.count()).toBe(total);
      expect(await page.locator("button:has-text('Load more')").count()).toBe(0);
      // Every poll was one request, ticks apart, for rows of those two only.
      expect(singleReads).toEqual([]);
      for (const [i, poll] of polls.entries()) {
        expect(poll.ids.length).toBeGreaterThan(0);
        expect(poll.ids.every((id) => ids.includes(id))).toBe(true);
        if (i > 0) expect(poll.at - (polls[i - 1]?.at ?? 0)).toBeGreaterThan(2000);
      }

      // Nothing processing: three ticks' worth of time, no request.
      const sent = polls.length;
      await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
      await page.clock.runFor(12_000);
      await seenSoFar();
      expect(polls.length).toBe(sent);
    } finally {
      page.off("request", onRequest);
    }
  }, 240_000);
});
