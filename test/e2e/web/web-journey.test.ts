/**
 * The web client in a real browser (Debian's Chromium through playwright-core)
 * against one embedded Arena node serving web/dist, as `npm start` runs it:
 * a creator registers and creates a channel in the dashboard, ffmpeg pushes
 * the test pattern to the ingest URL the dashboard shows, a second browser
 * context (a viewer) plays the live stream, chat goes both ways, both see
 * 2 viewers; the stream stops, its recording becomes a VOD that plays.
 * Along the way: axe finds no serious or critical violation on the main
 * pages, chat and player work from the keyboard, the CSP holds (no violation
 * reported), and screenshots land in test-artifacts/web/.
 */
import type { ChildProcess } from "node:child_process";
import { AxeBuilder } from "@axe-core/playwright";
import type { Page } from "playwright-core";
import type { PageVideo, PageWindow } from "../../helpers/browser";
import { waitFor } from "../../helpers/infra";
import { browserSpecForFile } from "./browser-spec";
import {
  analyticsSteps,
  browserPushSteps,
  chatJoinRaceSteps,
  fakeBrowserPushKeys,
  muteAlertsSteps,
  stubPushService,
} from "./client-steps";
import { accountSteps, deleteClipSteps, liveClipSteps, reportSteps, scheduleSteps } from "./community-steps";
import { playbackAdvances, pushTestPattern, screenshot, type WebNode } from "../../helpers/web-e2e";
import {
  followNotificationSteps,
  inboxAndSettingsSteps,
  roleBadgeSteps,
  searchSteps,
  type Journey,
} from "./discovery-steps";
import { logInWithForm, PASSWORD } from "./page-setup";
import { PHONE, watchedPage, type Viewport, type WatchedPage as Person } from "./watched-page";

const suffix = Date.now().toString(36);

describe("web client: register → go live → watch, chat → VOD", () => {
  // ARENA_ADMINS: the organizer of the tournament test registers as admin (admins pass organizer checks).
  // staff_: an admin whose chat lines carry the "Staff" role badge.
  const spec = browserSpecForFile({ ARENA_ADMINS: `orga_${suffix},staff_${suffix}` });
  let web: WebNode;
  let creator: Person;
  let viewer: Person;
  let push: ChildProcess | undefined;
  let slug = "";
  let channelId = "";
  let clipUrl = "";

  /** Someone in a browser context of their own; the CSP must hold for them (watched-page.ts records violations). */
  const person = (viewport?: Viewport): Promise<Person> => watchedPage(spec().browser, viewport);

  /**
   * A thread longer than a page of replies: "View N replies" shows the first 50 (oldest first) in
   * one request, "More replies" the rest, then goes away (the loader used to fetch every page at once).
   */
  async function longThreadSteps(videoId: string): Promise<void> {
    const REPLIES = 52;
    // An author may post 5 comments a minute (videos' commentRateLimit): the thread has 11 authors.
    const PER_AUTHOR = 5;
    const call = async (path: string, body: object, token?: string) => {
      const res = await fetch(`${web.base}/api/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(res.status).toBeLessThan(300);
      return (await res.json()) as { id: string; accessToken: string };
    };
    const author = async (i: number): Promise<string> => {
      const name = `split${i}_${suffix}`;
      await call("/auth/register", { email: `${name}@example.test`, username: name, password: PASSWORD });
      return (await call("/auth/login", { login: name, password: PASSWORD })).accessToken;
    };
    const root = await call(`/videos/${videoId}/comments`, { body: "Thread of splits" }, await author(0));
    let token = "";
    for (let i = 0; i < REPLIES; i++) {
      if (i % PER_AUTHOR === 0) token = await author(i / PER_AUTHOR + 1);
      await call(`/videos/${videoId}/comments`, { body: `split ${i}`, parentId: root.id }, token);
    }
    await viewer.page.goto(`${web.base}/v/${videoId}`);
    await viewer.page.click(`button:has-text('View ${REPLIES} replies')`);
    const replies = viewer.page.locator(".comment-body", { hasText: /^split \d+$/ });
    await replies.nth(49).waitFor();
    expect(await replies.count()).toBe(50);
    await viewer.page.click("button:has-text('More replies')");
    await replies.nth(REPLIES - 1).waitFor();
    expect(await replies.allTextContents()).toEqual(Array.from({ length: REPLIES }, (_, i) => `split ${i}`));
    await viewer.page.locator("button:has-text('More replies')").waitFor({ state: "detached" });
  }

  async function register(p: Person, name: string): Promise<void> {
    await p.page.goto(`${web.base}/register`);
    await p.page.fill("#email", `${name}@example.test`);
    await p.page.fill("#username", name);
    await p.page.fill("#password", PASSWORD);
    await p.page.click("button[type=submit]");
    await p.page.waitForURL(/\/dashboard/);
  }

  async function expectAccessible(page: Page, what: string): Promise<void> {
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect([
      what,
      bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    ]).toEqual([what, []]);
  }

  const journey = (): Journey => ({
    base: web.base,
    slug,
    channelTitle: "Web e2e speedrun",
    creator: { page: creator.page, name: `creator_${suffix}` },
    viewer: { page: viewer.page, name: `viewer_${suffix}` },
    expectAccessible,
  });

  async function readyVideoId(): Promise<string> {
    const res = await fetch(`${web.base}/api/v1/videos?channelId=${channelId}`);
    const page = (await res.json()) as { items: Array<{ id: string; status: string }> };
    const id = page.items.find((v) => v.status === "ready")?.id;
    if (!id) throw new Error("no ready video");
    return id;
  }

  beforeAll(async () => {
    ({ web } = spec());
    creator = await person();
    viewer = await person();
  });

  afterAll(() => {
    push?.kill("SIGKILL");
  });

  afterEach(() => {
    expect(creator.problems.concat(viewer.problems)).toEqual([]);
  });

  it("serves the home page under its CSP, accessible, keyboard-first", async () => {
    const res = await creator.page.goto(web.base);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await creator.page.waitForSelector("h1");
    await screenshot(creator.page, "home-empty-desktop");
    await expectAccessible(creator.page, "home");
    // The first Tab reaches the skip link, which moves focus to the page content.
    await creator.page.keyboard.press("Tab");
    expect(
      await creator.page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.textContent),
    ).toBe("Skip to content");
  });

  it("registers a creator who creates a channel and sees the stream key and ingest URL", async () => {
    slug = `web-${suffix}`;
    await register(creator, `creator_${suffix}`);
    await creator.page.fill("#slug", slug);
    await creator.page.fill("#title", "Web e2e speedrun");
    await creator.page.fill("#category", "Speedruns");
    await creator.page.click("button[type=submit]");
    await creator.page.waitForSelector("[data-testid=stream-key]");
    const key = await creator.page.inputValue("[data-testid=stream-key]");
    expect(key.length).toBeGreaterThan(20);
    expect(await creator.page.getAttribute("[data-testid=stream-key]", "type")).toBe("password");
    await creator.page.click("text=Get server address");
    const ingest = await creator.page.inputValue("[data-testid=ingest-url]");
    expect(ingest).toMatch(new RegExp(`^rtmp://.+:${web.rtmpPort}/live$`));
    await expectAccessible(creator.page, "dashboard");
    await screenshot(creator.page, "dashboard-desktop");
    channelId = ((await (await fetch(`${web.base}/api/v1/channels/by-slug/${slug}`)).json()) as { id: string }).id;

    // Long enough to be still live for every step that needs it on a loaded machine; "stops" ends it.
    push = pushTestPattern(`${ingest}/${key}`, 600);
    await creator.page.waitForSelector("[data-testid=live-status]:has-text('live')", { timeout: 30_000 });
  });

  it("a second browser plays the live stream; chat goes both ways; both count as viewers", async () => {
    await register(viewer, `viewer_${suffix}`);
    await viewer.page.goto(`${web.base}/c/${slug}`);
    await viewer.page.waitForSelector("[data-testid=player-video]", { timeout: 30_000 });
    await waitFor(() => playbackAdvances(viewer.page), { timeoutMs: 45_000, intervalMs: 250, what: "live playback" });

    await creator.page.goto(`${web.base}/c/${slug}`);
    await creator.page.waitForSelector("#chat-input");
    await viewer.page.fill("#chat-input", "hello from the viewer :GG:");
    await viewer.page.keyboard.press("Enter");
    await creator.page.waitForSelector("[data-testid=chat-line]:has-text('hello from the viewer')");
    await creator.page.fill("#chat-input", "welcome to the stream!");
    await creator.page.keyboard.press("Enter");
    await viewer.page.waitForSelector("[data-testid=chat-line]:has-text('welcome to the stream!')");

    for (const p of [viewer.page, creator.page])
      await p.waitForSelector("[data-testid=viewer-count]:has-text('2 watching')", { timeout: 20_000 });
    await screenshot(viewer.page, "channel-live-desktop");
    await expectAccessible(viewer.page, "channel (live)");
  });

  it("chat and player work from the keyboard; server refusals show inline", async () => {
    const page = viewer.page;
    // Tab from the top reaches the player and the chat box.
    await page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.blur());
    const reached = new Set<string>();
    for (let i = 0; i < 40 && reached.size < 2; i++) {
      await page.keyboard.press("Tab");
      const id = await page.evaluate(() => {
        const el = (globalThis as unknown as PageWindow).document.activeElement;
        return el?.id || el?.className || "";
      });
      if (id === "chat-input" || /\bplayer\b/.test(id)) reached.add(id === "chat-input" ? "chat" : "player");
    }
    expect([...reached].sort()).toEqual(["chat", "player"]);

    await page.focus(".player");
    await page.keyboard.press("k");
    await waitFor(() => page.$eval("[data-testid=player-video]", (v) => (v as unknown as PageVideo).paused), {
      what: "paused by keyboard",
    });
    await page.keyboard.press("k");
    await waitFor(() => playbackAdvances(page, 800), { timeoutMs: 15_000, what: "resumed by keyboard" });

    await page.focus("#chat-input");
    await page.keyboard.type("typed with the keyboard only");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=chat-line]:has-text('typed with the keyboard only')");
    // The same text again within 30 s: the server's DUPLICATE refusal is shown next to the box.
    await page.keyboard.type("typed with the keyboard only");
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-testid=chat-error]:has-text('You just sent that message')");
  });

  it("chat: a message sent while a newcomer's join is on its way reaches them (join, then history)", async () => {
    const newcomer = await person();
    await chatJoinRaceSteps(journey(), newcomer.page, channelId);
    expect(newcomer.problems).toEqual([]);
    await newcomer.context.close();
  });

  it("phone width: the channel page stacks player and chat", async () => {
    const phone = await person(PHONE);
    await phone.page.goto(`${web.base}/c/${slug}`);
    await phone.page.waitForSelector("[data-testid=player-video]");
    await waitFor(() => playbackAdvances(phone.page), { timeoutMs: 45_000, intervalMs: 250, what: "phone playback" });
    const [player, chat] = await Promise.all([
      phone.page.locator(".player").boundingBox(),
      phone.page.locator(".chat").boundingBox(),
    ]);
    expect(chat!.y).toBeGreaterThan(player!.y + player!.height - 1);
    expect(player!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone.page, "channel-live-phone");
    await phone.page.goto(web.base);
    await phone.page.waitForSelector("[data-testid=live-grid]");
    await screenshot(phone.page, "home-live-phone");
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  });

  it("home lists the live channel; its viewer count is pushed live (public topic), not re-polled", async () => {
    await creator.page.goto(web.base);
    const count = creator.page.locator(`[data-testid=live-grid] a[href="/c/${slug}"] [data-testid=card-viewers]`);
    // The viewer still watches; the phone context has left.
    await waitFor(async () => (await count.textContent())?.startsWith("1 watching"), {
      timeoutMs: 20_000,
      what: "the card at 1 viewer",
    });
    const extra = await person();
    await extra.page.goto(`${web.base}/c/${slug}`);
    // The list is re-read every 30 s; within 15 s only the channel's topic can bring the new count.
    await waitFor(async () => (await count.textContent())?.startsWith("2 watching"), {
      timeoutMs: 15_000,
      what: "the card's count pushed to 2",
    });
    await extra.context.close();
    await screenshot(creator.page, "home-live-desktop");
    await expectAccessible(creator.page, "home (live)");
  });

  it("search: header autocomplete from the keyboard, results by type with the live stream marked", async () => {
    const visitor = await person();
    await searchSteps(journey(), visitor.page);
    expect(visitor.problems).toEqual([]);
    await visitor.context.close();
  });

  it("clips and markers while live: a viewer clips the last 5 s, the broadcaster marks the stream", async () => {
    clipUrl = await liveClipSteps(creator.page, viewer.page, web.base, slug, expectAccessible);
  });

  it("stops: the recording becomes a VOD that plays, with comments", async () => {
    push?.kill("SIGINT");
    const videoId = await waitFor(
      async () => {
        const res = await fetch(`${web.base}/api/v1/videos?channelId=${channelId}`);
        const page = (await res.json()) as { items: Array<{ id: string; status: string }> };
        return page.items.find((v) => v.status === "ready")?.id;
      },
      { timeoutMs: 150_000, intervalMs: 1000, what: "the VOD of the broadcast" },
    );
    await viewer.page.goto(`${web.base}/v/${videoId}`);
    await viewer.page.waitForSelector("[data-testid=player-video]");
    await waitFor(() => playbackAdvances(viewer.page), { timeoutMs: 30_000, intervalMs: 250, what: "VOD playback" });
    await viewer.page.waitForSelector("[data-testid=view-count]:has-text('1 view')");
    await viewer.page.fill("#comment-new", "GG, great run!");
    await viewer.page.click("form button[type=submit]:has-text('Comment')");
    await viewer.page.waitForSelector(".comment-body:has-text('GG, great run!')");
    await screenshot(viewer.page, "video-desktop");
    await expectAccessible(viewer.page, "video");
  });

  it("notifications: a follow reaches the creator's open inbox and bell over the socket; mark read", async () => {
    await followNotificationSteps(journey());
  });

  it("analytics: the creator's summaries and charts after the broadcast", async () => {
    await analyticsSteps(journey());
  });

  it("a follower mutes the channel's go-live alerts from the channel page, then unmutes", async () => {
    await muteAlertsSteps(journey());
  });

  it("role badges: a staff member's chat line and profile show the Staff badge, the creator's profile Creator", async () => {
    const staff = await person();
    await register(staff, `staff_${suffix}`);
    await roleBadgeSteps(journey(), { page: staff.page, name: `staff_${suffix}` });
    expect(staff.problems).toEqual([]);
    await staff.context.close();
  });

  it("after the stream: the channel owner deletes the viewer's clip", async () => {
    await deleteClipSteps(creator.page, web.base, clipUrl, slug);
  });

  it("a weekly schedule with one skipped stream: the editor, the channel page and the iCalendar feed", async () => {
    await scheduleSteps(creator.page, viewer.page, web.base, slug, expectAccessible);
  });

  it("a channel blog: the creator publishes a markdown post, a viewer reads and comments", async () => {
    await creator.page.goto(`${web.base}/blog/write?blog=${channelId}`);
    await creator.page.fill("#p-title", "Road to the world record");
    await creator.page.fill("#p-summary", "Splits, routes and the one trick that saves 3 seconds.");
    await creator.page.fill("#p-body", "## Splits\n\nThe **east tower** route is *faster*.\n\n- split 1: 0:42");
    await creator.page.click("button[value=publish]");
    await creator.page.waitForURL(new RegExp(`/blog/${channelId}/road-to-the-world-record`));
    await viewer.page.goto(`${web.base}/blog/${channelId}`);
    await viewer.page.click("text=Road to the world record");
    await viewer.page.waitForSelector(".post-body h2:has-text('Splits')");
    expect(await viewer.page.textContent(".post-body strong")).toBe("east tower");
    await viewer.page.fill("#post-comment", "Can't wait for the next attempt");
    await viewer.page.click("form button[type=submit]:has-text('Comment')");
    await viewer.page.waitForSelector(".comment-body:has-text('next attempt')");
    await screenshot(viewer.page, "blog-post-desktop");
    await expectAccessible(viewer.page, "blog post");
    await viewer.page.goto(`${web.base}/tournaments`);
    await viewer.page.waitForSelector("h1:has-text('Tournaments')");
    await expectAccessible(viewer.page, "tournaments");
  });

  it("a tournament: created and started in the browser, players report, a spectator's bracket updates live", async () => {
    const organizer = await person();
    await register(organizer, `orga_${suffix}`);
    await organizer.page.goto(`${web.base}/tournaments/new`);
    await organizer.page.fill("#t-name", "Web Cup");
    await organizer.page.fill("#t-game", "Speedruns");
    await organizer.page.fill("#t-max", "4");
    const start = new Date(Date.now() + 3600_000);
    const local = new Date(start.getTime() - start.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await organizer.page.fill("#t-start", local);
    await organizer.page.click("button[type=submit]");
    await organizer.page.waitForURL((u) => /^\/tournaments\/(?!new$)[A-Za-z0-9_-]+$/.test(u.pathname));
    const url = organizer.page.url();
    await organizer.page.click("button:has-text('Open registration')");
    await organizer.page.waitForSelector("[data-testid=tournament-status]:has-text('registration open')");

    for (const p of [creator, viewer]) {
      await p.page.goto(`${url}?tab=entrants`);
      await p.page.click("button:has-text('Register')");
      await p.page.waitForSelector("text=You're registered.");
    }
    // The organizer's page hears the registrations on the tournament's topic and can start.
    await organizer.page.waitForSelector("text=2/4 entrants");
    await organizer.page.click("button:has-text('Start')");
    await organizer.page.waitForSelector("[data-testid=tournament-status]:has-text('live')");

    const spectator = await person();
    await spectator.page.goto(url);
    await spectator.page.waitForSelector("[data-testid=match]");
    expect(await spectator.page.locator("[data-testid=match] .side.won").count()).toBe(0);

    for (const p of [creator, viewer]) {
      await p.page.goto(url);
      await p.page.click("[data-testid=match] button:has-text('Report result')");
      await p.page.fill("input[name=scoreA]", "2");
      await p.page.fill("input[name=scoreB]", "1");
      await p.page.click(".report-form button[type=submit]");
      await p.page.waitForSelector(".report-form", { state: "detached" });
    }
    // No reload: the spectator's bracket and status change through tournament:<id> events.
    await spectator.page.waitForSelector("[data-testid=match] .side.won .side-name");
    await spectator.page.waitForSelector("[data-testid=tournament-status]:has-text('completed')");
    await screenshot(spectator.page, "tournament-desktop");
    await expectAccessible(spectator.page, "tournament");
    expect(organizer.problems.concat(spectator.problems)).toEqual([]);
    await Promise.all([organizer.context.close(), spectator.context.close()]);
  });

  it("notifications: mark all read clears the comments' alerts; a preference switch is saved", async () => {
    await inboxAndSettingsSteps(journey());
  });

  it("browser push: the settings switch installs the service worker and registers the device; a push is shown", async () => {
    const pusher = await person();
    await pusher.context.grantPermissions(["notifications"], { origin: new URL(web.base).origin });
    await stubPushService(pusher.context, fakeBrowserPushKeys());
    await register(pusher, `push_${suffix}`);
    await browserPushSteps(journey(), { ...pusher, name: `push_${suffix}`, password: PASSWORD });
    expect(pusher.problems).toEqual([]);
    await pusher.context.close();
  });

  it("reports: a viewer reports a comment and the video; an admin deletes the comment from the queue", async () => {
    const admin = await person();
    await logInWithForm(admin.page, web.base, `orga_${suffix}`);
    await admin.page.waitForURL((u) => u.pathname === "/");
    await reportSteps(creator.page, viewer.page, admin.page, web.base, await readyVideoId(), expectAccessible);
    expect(admin.problems).toEqual([]);
    await admin.context.close();
  });

  // Late in the journey: the thread's 53 comments notify the creator, which the inbox steps above count.
  it("a VOD thread longer than a page: its replies come 50 at a time", async () => {
    await longThreadSteps(await readyVideoId());
  });

  it("account mails and data: verify the email, reset the password, export, delete the account", async () => {
    const someone = await person();
    await accountSteps(someone.page, web.base, web.dataDir, `acct_${suffix}`, PASSWORD, expectAccessible);
    expect(someone.problems).toEqual([]);
    await someone.context.close();
  });

  it("account pages: sessions, two-factor setup with a QR code", async () => {
    await viewer.page.goto(`${web.base}/account/security`);
    await viewer.page.waitForSelector("[data-testid=sessions] li");
    await viewer.page.click("text=Set up");
    await viewer.page.waitForSelector("svg.qr");
    expect(await viewer.page.textContent("[data-testid=totp-secret]")).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(viewer.page, "account-security-desktop");
    await expectAccessible(viewer.page, "account security");
    await viewer.page.goto(`${web.base}/login`);
    await expectAccessible(viewer.page, "login");
  });

  it("a reload keeps the session without any token in localStorage or sessionStorage", async () => {
    await viewer.page.goto(`${web.base}/account`);
    // Let this page's own session refresh finish first: a refresh cut off by the reload would
    // rotate the token server-side while its new cookie is lost (see docs/web.md).
    await viewer.page.waitForSelector("h1:has-text('Account')");
    await viewer.page.reload();
    await viewer.page.waitForSelector("h1:has-text('Account')");
    const storage = await viewer.page.evaluate(() => {
      const w = globalThis as unknown as PageWindow;
      return JSON.stringify({ ...w.localStorage, ...w.sessionStorage });
    });
    expect(storage).toBe("{}");
    const cookies = await viewer.context.cookies();
    expect(cookies.find((c) => c.name === "arena_refresh")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  });
});
