/**
 * Steps of the web journey (web-journey.test.ts) for search, notifications
 * and role badges, run against its node, people and live channel so the
 * suite starts nothing more: the header's search box and its suggestions,
 * the results page by type, the bell's count pushed over the socket of a tab
 * that holds no room or topic, the inbox and its settings, role badges in
 * chat and on profiles.
 */
import type { Page } from "playwright-core";
import type { PageWindow } from "../../helpers/browser";
import { waitFor } from "../../helpers/infra";
import { screenshot } from "../../helpers/web-e2e";

export interface JourneyPerson {
  page: Page;
  name: string;
}

export interface Journey {
  base: string;
  slug: string;
  /** The live channel's title, as the creator typed it in the dashboard. */
  channelTitle: string;
  creator: JourneyPerson;
  viewer: JourneyPerson;
  expectAccessible(page: Page, what: string): Promise<void>;
}

const BELL = "[data-testid=notification-bell]";

const activeId = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as PageWindow).document.activeElement?.id ?? "");

/**
 * Autocomplete from the header, keyboard only; then the results page, its
 * type tabs and the live pill. `page`: a visitor of its own (the journey's
 * viewer keeps watching: later steps count viewers).
 */
export async function searchSteps(j: Journey, page: Page): Promise<void> {
  await page.goto(`${j.base}/`);
  await page.focus("#site-search");
  // A prefix of a title word: the suggestion list offers the live channel's stream and channel.
  await page.keyboard.type("speedr");
  await page.waitForSelector(`[data-testid=suggestion]:has-text("${j.channelTitle}")`);
  expect(await page.getAttribute("#site-search", "aria-expanded")).toBe("true");
  await page.keyboard.press("ArrowDown");
  const activeOption = await page.getAttribute("#site-search", "aria-activedescendant");
  expect(activeOption).toBe("search-suggestions-0");
  expect(await page.getAttribute(`#${activeOption}`, "aria-selected")).toBe("true");
  await page.keyboard.press("Escape");
  expect(await page.getAttribute("#site-search", "aria-expanded")).toBe("false");
  expect(await activeId(page)).toBe("site-search");
  await screenshotWithSuggestions(page);

  // Enter with no option chosen searches what was typed, with a typo in the second word.
  await page.fill("#site-search", "web speedrnu");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=web(\+|%20)speedrnu/);
  const hits = page.locator("[data-testid=search-hit]");
  await waitFor(async () => (await hits.count()) > 0, { timeoutMs: 10_000, what: "search results" });
  const types = await hits.evaluateAll((els) => els.map((e) => e.getAttribute("data-type")));
  expect(types).toEqual(expect.arrayContaining(["channel", "stream"]));
  // The live stream carries its LIVE pill; matched words are <mark>ed text, not HTML.
  await page.waitForSelector("[data-testid=search-hit][data-type=stream] [data-testid=hit-live]");
  expect(await page.locator("[data-testid=search-hit] mark").count()).toBeGreaterThan(0);
  await screenshot(page, "search-results-desktop");
  await j.expectAccessible(page, "search results");

  // Tabs are links: keyboard reachable, counts from the facets; "Channels" keeps only channels.
  const channelsTab = page.locator("[data-testid=search-tab-channel]");
  expect(await channelsTab.textContent()).toMatch(/Channels\s*\d+/);
  await channelsTab.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/type=channel/);
  // The "All" list stays on screen until the channels-only answer replaces it.
  await page.waitForSelector("[data-testid=search-hit]:not([data-type=channel])", { state: "detached" });
  await page.waitForSelector(`[data-testid=search-hit][data-type=channel] a:has-text("${j.channelTitle}")`);
  expect(
    await page.locator("[data-testid=search-hit]").evaluateAll((els) => els.map((e) => e.getAttribute("data-type"))),
  ).toEqual(expect.arrayContaining(["channel"]));
  expect(await page.locator("[data-testid=search-hit]:not([data-type=channel])").count()).toBe(0);
  // A hit links to its page.
  expect(
    await page.getAttribute(`[data-testid=search-hit][data-type=channel] a:has-text("${j.channelTitle}")`, "href"),
  ).toBe(`/c/${j.slug}`);
}

async function screenshotWithSuggestions(page: Page): Promise<void> {
  await page.keyboard.press("ArrowDown");
  await page.waitForSelector("#search-suggestions:not([hidden])");
  await screenshot(page, "search-suggest-desktop");
  await page.keyboard.press("Escape");
}

/**
 * The creator sits on the inbox (no chat room, no topic: the socket is held
 * open for the signed-in tab); the viewer follows the channel; the creator's
 * inbox and bell get it without a reload; marking it read clears the bell.
 */
export async function followNotificationSteps(j: Journey): Promise<void> {
  const creator = j.creator.page;
  const viewer = j.viewer.page;
  await creator.goto(`${j.base}/notifications`);
  await creator.waitForSelector("h1:has-text('Notifications')");
  // The VOD's comment may be there already: the bell agrees with the inbox's unread rows first.
  await creator.waitForSelector("[data-testid=inbox-item], p:has-text('Nothing yet')");
  const unread = async () =>
    Number(/(\d+) unread/.exec((await creator.getAttribute(BELL, "aria-label")) ?? "")?.[1] ?? 0);
  const before = await creator.locator("[data-testid=inbox-item].unread").count();
  await waitFor(async () => (await unread()) === before, { timeoutMs: 10_000, what: "the bell's first count" });

  await viewer.goto(`${j.base}/c/${j.slug}`);
  // Signed in (the session restored) before Follow is pressed.
  await viewer.waitForSelector(`.account .username:has-text("${j.viewer.name}")`);
  await viewer.click("button:has-text('Follow')");
  await viewer.waitForSelector("button[aria-pressed=true]:has-text('Following')");

  const item = creator.locator(`[data-testid=inbox-item]:has-text("${j.viewer.name} followed")`);
  await item.waitFor({ timeout: 10_000 });
  await waitFor(async () => (await unread()) === before + 1, { timeoutMs: 10_000, what: "the bell at one more" });
  expect(await creator.textContent("[data-testid=unread-count]")).toBe(String(before + 1));
  await screenshot(creator, "notifications-inbox-desktop");
  await j.expectAccessible(creator, "notifications inbox");

  await item.locator("button:has-text('Mark read')").click();
  await waitFor(async () => (await unread()) === before, { timeoutMs: 10_000, what: "the bell back" });
  // Read on the server too: a reload shows it read and the same count.
  await creator.reload();
  await creator.waitForSelector(`[data-testid=inbox-item].read:has-text("${j.viewer.name} followed")`);
  await waitFor(async () => (await unread()) === before, { timeoutMs: 10_000, what: "the count after a reload" });
}

/**
 * Later in the journey the creator has more (a comment on the VOD, on the
 * blog post): "mark all read" clears them; a preference switch is saved and
 * survives a reload.
 */
export async function inboxAndSettingsSteps(j: Journey): Promise<void> {
  const page = j.creator.page;
  await page.goto(`${j.base}/notifications?filter=unread`);
  await page.waitForSelector("[data-testid=inbox-item]");
  await page.waitForSelector("[data-testid=unread-count]");
  await page.click("[data-testid=mark-all-read]");
  await page.waitForSelector("text=You're all caught up.");
  await page.waitForSelector("[data-testid=unread-count]", { state: "detached" });

  await page.click("a:has-text('Settings')");
  await page.waitForURL(/\/notifications\/settings$/);
  const liveInApp = page.locator("#pref-stream\\.live-inApp");
  await liveInApp.waitFor();
  expect(await liveInApp.isChecked()).toBe(true);
  await liveInApp.focus();
  await page.keyboard.press("Space");
  await page.waitForSelector("[role=status]:has-text('in arena off')", { state: "attached" });
  await page.reload();
  await page.locator("#pref-stream\\.live-inApp").waitFor();
  expect(await page.locator("#pref-stream\\.live-inApp").isChecked()).toBe(false);
  await screenshot(page, "notification-settings-desktop");
  await j.expectAccessible(page, "notification settings");
}

/**
 * A staff member (an admin) chats in the channel: the viewer sees the
 * "Staff" badge (GET /users/:id/roles, fetched once per user); the profile
 * behind the name shows the badges too, and the creator's shows "Creator".
 */
export async function roleBadgeSteps(j: Journey, staff: JourneyPerson): Promise<void> {
  await j.viewer.page.goto(`${j.base}/c/${j.slug}`);
  await j.viewer.page.waitForSelector("#chat-input");
  await staff.page.goto(`${j.base}/c/${j.slug}`);
  await staff.page.waitForSelector("#chat-input");
  await staff.page.fill("#chat-input", "staff here, enjoy the run");
  await staff.page.keyboard.press("Enter");
  const line = j.viewer.page.locator("[data-testid=chat-line]:has-text('staff here, enjoy the run')");
  await line.locator("[data-testid=role-badge]:has-text('Staff')").waitFor({ timeout: 10_000 });

  await line.locator(`button:has-text("${staff.name}")`).click();
  await j.viewer.page.click("[data-testid=profile-link]");
  await j.viewer.page.waitForURL(/\/u\/[^/]+$/);
  await j.viewer.page.waitForSelector(`h1:has-text("${staff.name}") [data-testid=role-badge]:has-text('Staff')`);
  await screenshot(j.viewer.page, "profile-desktop");
  await j.expectAccessible(j.viewer.page, "profile");

  const ownerId = ((await (await fetch(`${j.base}/api/v1/channels/by-slug/${j.slug}`)).json()) as { ownerId: string })
    .ownerId;
  await j.viewer.page.goto(`${j.base}/u/${ownerId}`);
  await j.viewer.page.waitForSelector("h1 [data-testid=role-badge]:has-text('Creator')");
  await j.viewer.page.waitForSelector(`a[href="/c/${j.slug}"]`);
}
