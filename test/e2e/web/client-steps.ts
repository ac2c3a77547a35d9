/**
 * Steps of the web journey (web-journey.test.ts) for the client's own
 * plumbing, on its node, people and live channel: the chat's join-then-history
 * order, muting a channel's go-live alerts from the channel page, and browser
 * push (service worker, subscription, device registration).
 */
import { createECDH, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { waitFor } from "../../helpers/infra";
import { ARTIFACTS, screenshot } from "../../helpers/web-e2e";
import type { Journey } from "./discovery-steps";

/**
 * A newcomer's `join` frame is held on its way to the server while the
 * creator says something: the socket cannot deliver that message (the join
 * has not happened), so only a history read made after `joined` can show it.
 * A client that read the history when the page opened (as this one did)
 * shows it nowhere; this one must not read the history before the join.
 */
export async function chatJoinRaceSteps(j: Journey, page: Page, channelId: string): Promise<void> {
  const text = `said while a newcomer was joining ${Date.now().toString(36)}`;
  let held = false;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const historyReads: string[] = [];
  page.on("request", (req) => {
    if (new URL(req.url()).pathname.endsWith(`/channels/${channelId}/chat/messages`)) historyReads.push(req.url());
  });
  await page.routeWebSocket(
    (url) => url.protocol === "ws:" || url.protocol === "wss:",
    (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message)) as { type?: string; room?: string };
        if (!held && frame.type === "join" && frame.room === channelId) {
          held = true;
          void released.then(() => server.send(message));
          return;
        }
        server.send(message);
      });
    },
  );
  await page.goto(`${j.base}/c/${j.slug}`);
  await page.waitForSelector("[data-testid=chat-log]");
  await waitFor(() => held, { what: "the newcomer's join frame (held)" });
  // Time for a client that reads the history at once to have read it.
  await page.waitForTimeout(1000);
  const creator = j.creator.page;
  await creator.fill("#chat-input", text);
  await creator.keyboard.press("Enter");
  await creator.waitForSelector(`[data-testid=chat-line]:has-text('${text}')`);
  expect(historyReads).toEqual([]);
  release();
  await page.waitForSelector(`[data-testid=chat-line]:has-text('${text}')`, { timeout: 20_000 });
  // The older lines came with the same history read.
  await page.waitForSelector("[data-testid=chat-line]:has-text('hello from the viewer')");
  expect(historyReads).toHaveLength(1);
}

/**
 * The viewer (following the channel since the follow step) mutes its alerts
 * from the channel page: the switch survives a reload, the settings page
 * lists the channel under "Muted channels", and unmuting from the channel
 * page takes it off the list again. The follow itself stays.
 */
export async function muteAlertsSteps(j: Journey): Promise<void> {
  const page = j.viewer.page;
  const mute = page.locator("[data-testid=mute-alerts]");
  await page.goto(`${j.base}/c/${j.slug}`);
  await page.waitForSelector("button[aria-pressed=true]:has-text('Following')");
  await mute.waitFor();
  await waitFor(async () => (await mute.getAttribute("aria-pressed")) === "false" && (await mute.isEnabled()), {
    what: "the mute switch, off",
  });
  await mute.click();
  await page.waitForSelector("[data-testid=mute-alerts][aria-pressed=true]:has-text('Alerts muted')");
  await screenshot(page, "channel-alerts-muted-desktop");

  await page.reload();
  await page.waitForSelector("[data-testid=mute-alerts][aria-pressed=true]");
  await page.waitForSelector("button[aria-pressed=true]:has-text('Following')");

  await page.goto(`${j.base}/notifications/settings`);
  const muted = page.locator(`section:has(h2:has-text('Muted channels')) a[href="/c/${j.slug}"]`);
  await muted.waitFor();
  expect(await muted.textContent()).toBe(j.channelTitle);

  await page.goto(`${j.base}/c/${j.slug}`);
  await page.waitForSelector("[data-testid=mute-alerts][aria-pressed=true]");
  await mute.click();
  await page.waitForSelector("[data-testid=mute-alerts][aria-pressed=false]:has-text('Mute alerts')");
  await page.goto(`${j.base}/notifications/settings`);
  await page.waitForSelector("section:has(h2:has-text('Muted channels')) p:has-text('None.')");
}

/**
 * What a Web Push subscription is made of on the browser's side: the push
 * service's endpoint and the browser's P-256 key and auth secret.
 */
export function fakeBrowserPushKeys(): { endpoint: string; p256dh: string; auth: string } {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.test/wpush/v2/${randomBytes(12).toString("hex")}`,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: randomBytes(16).toString("base64url"),
  };
}

interface PushPage {
  localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void; removeItem(k: string): void };
  PushManager: { prototype: Record<string, unknown> };
  atob(s: string): string;
}

/**
 * Stands in for the browser's push service: headless Chromium here cannot
 * subscribe (an off-the-record context refuses "permission denied"; a real
 * profile waits forever for Google's push registration, unreachable
 * offline; docs/web.md). PushManager.subscribe/getSubscription answer a
 * subscription with real keys instead; everything of ours (the service
 * worker under the CSP, the settings switch, the device calls) runs for real.
 */
export async function stubPushService(context: BrowserContext, keys: ReturnType<typeof fakeBrowserPushKeys>) {
  await context.addInitScript((k) => {
    const w = globalThis as unknown as PushPage;
    const STORE = "__test_push_subscription";
    const make = () => {
      const raw = w.localStorage.getItem(STORE);
      if (!raw) return null;
      const appKey = new Uint8Array(JSON.parse(raw) as number[]).buffer;
      return {
        endpoint: k.endpoint,
        expirationTime: null,
        options: { userVisibleOnly: true, applicationServerKey: appKey },
        toJSON: () => ({ endpoint: k.endpoint, expirationTime: null, keys: { p256dh: k.p256dh, auth: k.auth } }),
        unsubscribe: () => {
          w.localStorage.removeItem(STORE);
          return Promise.resolve(true);
        },
      };
    };
    w.PushManager.prototype.subscribe = (opts: { applicationServerKey: Uint8Array }) => {
      w.localStorage.setItem(STORE, JSON.stringify([...new Uint8Array(opts.applicationServerKey)]));
      return Promise.resolve(make());
    };
    w.PushManager.prototype.getSubscription = () => Promise.resolve(make());
  }, keys);
}

/**
 * Browser push from the settings page: the switch registers /sw.js (under
 * the app's CSP), subscribes with the server's VAPID key and registers the
 * device; a push delivered to that worker (CDP's ServiceWorker.deliverPushMessage,
 * the payload the notifications service encrypts) is shown as a
 * notification; turning it off removes the device; logging out does too.
 */
export async function browserPushSteps(
  j: Journey,
  person: { context: BrowserContext; page: Page; name: string; password: string },
): Promise<void> {
  const { page, context } = person;
  const keyRes = (await (await fetch(`${j.base}/api/v1/notifications/web-push-key`)).json()) as {
    publicKey: string | null;
  };
  // Embedded mode generates the VAPID key like the other local secrets.
  expect(keyRes.publicKey).toMatch(/^[A-Za-z0-9_-]{87}$/);

  const sw = await (await fetch(`${j.base}/sw.js`)).text();
  expect(sw).toContain('addEventListener("push"');

  await page.goto(`${j.base}/notifications/settings`);
  const toggle = page.locator("#browser-push");
  await toggle.waitFor();
  expect(await toggle.isChecked()).toBe(false);
  await page.waitForSelector("[data-testid=browser-push]");
  await toggle.click();
  await page.waitForSelector("#browser-push:checked:enabled");
  const device = page.locator("section:has(h2:has-text('Push devices')) li:has-text('(webpush)')");
  await device.waitFor();
  expect(await device.count()).toBe(1);
  // The switch and the device list are below the preference table: the whole page.
  await page.screenshot({ path: join(ARTIFACTS, "notification-settings-push-on-desktop.png"), fullPage: true });
  await j.expectAccessible(page, "notification settings (browser push on)");

  // The worker controls the site and shows what a push carries.
  const cdp = await context.newCDPSession(page);
  const registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
  await cdp.send("ServiceWorker.enable");
  const scope = `${new URL(j.base).origin}/`;
  const reg = await waitFor(() => registrations.find((r) => r.scopeURL === scope && !r.isDeleted), {
    what: "the service worker registration for /",
  });
  // A registration is reported while its worker is still installing, and Chromium drops a push that
  // finds no active worker: wait until the page sees the worker ready (active), then deliver. On a
  // slow machine the first delivery can still race activation, so it is repeated until shown; the
  // payload's id is the notification tag, so a repeat replaces instead of adding a second one.
  await page.evaluate(async () => {
    await (globalThis as unknown as { navigator: PushNavigator }).navigator.serviceWorker.ready;
  });
  const deliver = () =>
    cdp.send("ServiceWorker.deliverPushMessage", {
      origin: new URL(j.base).origin,
      registrationId: reg.registrationId,
      data: JSON.stringify({
        id: "push-e2e-1",
        type: "stream.live",
        title: `${j.channelTitle} is live`,
        body: "Come watch",
        url: `http://public.example.test/c/${j.slug}`,
      }),
    });
  await deliver();
  let lastDelivery = Date.now();
  const shown = await waitFor(
    async () => {
      const list = await page.evaluate(async () => {
        const nav = (globalThis as unknown as { navigator: PushNavigator }).navigator;
        const r = await nav.serviceWorker.getRegistration("/");
        const ns = (await r?.getNotifications()) ?? [];
        return ns.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
      });
      if (list.length > 0) return list;
      if (Date.now() - lastDelivery > 2000) {
        lastDelivery = Date.now();
        await deliver();
      }
      return undefined;
    },
    { what: "the notification the worker showed", timeoutMs: 20000 },
  );
  // Only the path of the payload's URL is kept: a click opens it on this site.
  expect(shown).toEqual([
    {
      title: `${j.channelTitle} is live`,
      body: "Come watch",
      tag: "push-e2e-1",
      data: { path: `/c/${j.slug}`, id: "push-e2e-1", type: "stream.live" },
    },
  ]);
  await cdp.detach();

  // Off: the device goes, the switch stays off after a reload.
  await toggle.click();
  await page.waitForSelector("#browser-push:not(:checked):enabled");
  await device.waitFor({ state: "detached" });
  await page.reload();
  await page.locator("#browser-push").waitFor();
  expect(await page.locator("#browser-push").isChecked()).toBe(false);

  // On again, then log out: the device is removed before the session ends.
  await page.locator("#browser-push").click();
  await device.waitFor();
  await page.click(`button.avatar-btn:has-text("${person.name}")`);
  await page.click("[role=menuitem]:has-text('Log out')");
  await page.waitForSelector("header a:has-text('Log in')");
  await page.goto(`${j.base}/login`);
  await page.fill("#login", person.name);
  await page.fill("#password", person.password);
  await page.click("button[type=submit]");
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto(`${j.base}/notifications/settings`);
  await page.waitForSelector("section:has(h2:has-text('Push devices')) p:has-text('No phone or browser')");
  expect(await page.locator("#browser-push").isChecked()).toBe(false);
}

interface PushNavigator {
  serviceWorker: {
    ready: Promise<unknown>;
    getRegistration(
      scope: string,
    ): Promise<
      { getNotifications(): Promise<Array<{ title: string; body: string; tag: string; data: unknown }>> } | undefined
    >;
  };
}

/**
 * The creator's analytics page after the broadcast: the 30/90-day summaries
 * and the four uPlot charts (a chart library, loaded with this page only).
 */
export async function analyticsSteps(j: Journey): Promise<void> {
  const page = j.creator.page;
  await page.goto(`${j.base}/analytics`);
  await page.waitForSelector(`h1:has-text("Analytics · ${j.channelTitle}")`);
  for (const title of ["Viewers", "Chat", "Followers", "Videos"])
    await page.waitForSelector(`figure:has(figcaption:has-text("${title}")) .uplot canvas`);
  await page.waitForSelector("section.panel h2:has-text('Last 30 days')");
  // The CSV comes with the session's token (a bare link would be refused 401).
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=analytics-csv]")]);
  const path = await download.path();
  expect(download.suggestedFilename()).toBe("channel-analytics-7d.csv");
  expect(readFileSync(path, "utf8").split("\n")[0]).toMatch(/^time,/);
  await screenshot(page, "analytics-desktop");
  await j.expectAccessible(page, "analytics");
}
