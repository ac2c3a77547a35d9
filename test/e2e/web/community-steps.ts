/**
 * The account and community steps of the web journey (web-journey.test.ts
 * calls them on its running node and browsers, so they add no second
 * platform): the mail links (verify email, forgot and reset password), the
 * data export and account deletion, the schedule editor and the channel's
 * schedule, clips and stream markers, reports and the review queue.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import type { Page } from "playwright-core";
import type { PageVideo } from "../../helpers/browser";
import { waitFor } from "../../helpers/infra";
import { ARTIFACTS, playbackAdvances, screenshot } from "../../helpers/web-e2e";

/** The journey's axe check (no serious or critical violation). */
export type Accessible = (page: Page, what: string) => Promise<void>;

/** The newest .eml under DATA_DIR/mail to `to` whose subject contains `subject`: its link to `path`. */
export async function mailedLink(dataDir: string, to: string, subject: string, path: string): Promise<string> {
  return waitFor(
    async () => {
      const dir = join(dataDir, "mail");
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".eml"))
        .sort()
        .reverse();
      for (const file of files) {
        const mail = await simpleParser(readFileSync(join(dir, file)));
        const rcpt = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(",") : (mail.to?.text ?? "");
        if (!rcpt.includes(to) || !mail.subject?.includes(subject)) continue;
        const link = new RegExp(`https?://\\S+${path}\\?token=[A-Za-z0-9_%-]+`).exec(mail.text ?? "");
        if (link) return link[0];
      }
      return undefined;
    },
    { timeoutMs: 15_000, intervalMs: 200, what: `the "${subject}" mail to ${to}` },
  );
}

/** The creator adds a weekly segment and skips its first occurrence; a viewer sees both on the channel page. */
export async function scheduleSteps(
  creator: Page,
  viewer: Page,
  base: string,
  slug: string,
  accessible: Accessible,
): Promise<void> {
  await creator.goto(`${base}/dashboard/schedule`);
  await creator.fill("#s-title", "Any% practice");
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setHours(20, 0, 0, 0);
  const local = new Date(start.getTime() - start.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await creator.fill("#s-start", local);
  await creator.fill("#s-duration", "90");
  await creator.fill("#s-category", "Speedruns");
  await creator.check("#s-recurring");
  await creator.click("button:has-text('Add to schedule')");
  await creator.waitForSelector("[data-testid=segment]:has-text('Any% practice')");
  // Weekly: several occurrences come up; the first one is skipped on its own.
  await waitFor(async () => (await creator.locator("[data-testid=upcoming] li").count()) >= 3, {
    what: "weekly occurrences",
  });
  await creator.locator("[data-testid=upcoming] li").first().locator("button:has-text('Skip this one')").click();
  await creator.waitForSelector("[data-testid=upcoming] li.cancelled >> nth=0");
  expect(await creator.locator("[data-testid=upcoming] li.cancelled").count()).toBe(1);
  await screenshot(creator, "dashboard-schedule-desktop");
  await accessible(creator, "dashboard schedule");

  await viewer.goto(`${base}/c/${slug}`);
  const schedule = viewer.locator("[data-testid=channel-schedule]");
  await schedule.waitFor();
  expect(await schedule.locator("li").count()).toBeGreaterThanOrEqual(3);
  expect(await schedule.locator("li").first().getAttribute("class")).toBe("cancelled");
  expect(await schedule.locator("li").nth(1).textContent()).toContain("Any% practice");
  const ics = await viewer.request.get(`${base}${await viewer.getAttribute("[data-testid=schedule-ics]", "href")}`);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  const calendar = await ics.text();
  expect(calendar).toContain("BEGIN:VCALENDAR");
  // One VEVENT per occurrence ("<channel title>: <segment title>"); the skipped one is CANCELLED.
  expect(calendar).toMatch(/SUMMARY:[^\r\n]*Any% practice/);
  expect(calendar.match(/STATUS:CANCELLED/g)).toHaveLength(1);
  await screenshot(viewer, "channel-offline-schedule-desktop");
  await accessible(viewer, "channel (offline, schedule)");
}

/** While live: the viewer clips the last 5 s; the clip page plays it and counts the view; markers for the broadcaster. */
export async function liveClipSteps(
  creator: Page,
  viewer: Page,
  base: string,
  slug: string,
  accessible: Accessible,
): Promise<string> {
  await viewer.goto(`${base}/c/${slug}`);
  await viewer.click("[data-testid=clip-button]");
  await viewer.fill("#clip-title", "That jump!");
  await viewer.fill("#clip-duration", "5");
  await viewer.click("#clip-form button[type=submit]");
  await viewer.waitForURL(/\/clip\/[A-Za-z0-9_-]+$/);
  const clipUrl = viewer.url();
  // Cut in the background: the page follows queued → processing → ready, then plays the MP4.
  await viewer.waitForSelector("[data-testid=player-video]", { timeout: 45_000 });
  await waitFor(() => playbackAdvances(viewer, 800), { timeoutMs: 20_000, what: "clip playback" });
  await viewer.waitForSelector("[data-testid=clip-views]:has-text('1 view')");
  const duration = await viewer.$eval(
    "[data-testid=player-video]",
    (v) => (v as unknown as PageVideo & { duration: number }).duration,
  );
  expect(duration).toBeGreaterThan(3.5);
  expect(duration).toBeLessThan(7);
  // The clipper is no moderator of this channel, but may delete their own clip.
  expect(await viewer.locator("[data-testid=clip-delete]").count()).toBe(1);
  await screenshot(viewer, "clip-desktop");
  await accessible(viewer, "clip");

  // The broadcaster marks the stream; the channel page lists the new clip.
  await creator.goto(`${base}/c/${slug}`);
  await creator.fill("#marker-description", "first boss down");
  await creator.click("[data-testid=stream-markers] button:has-text('Add marker')");
  await creator.waitForSelector("[data-testid=marker]:has-text('first boss down')");
  await creator.waitForSelector("[data-testid=clip-card]:has-text('That jump!')");
  // A viewer sees the clip but no marker tools (decided from the channel's chat policy).
  const policy = viewer.waitForResponse((r) => r.url().includes("/chat-policy"));
  await viewer.goto(`${base}/c/${slug}`);
  await policy;
  await viewer.waitForSelector("[data-testid=clip-card]:has-text('That jump!')");
  expect(await viewer.locator("[data-testid=stream-markers]").count()).toBe(0);
  await screenshot(creator, "channel-live-staff-desktop");
  return clipUrl;
}

/** The channel owner deletes a viewer's clip from the clip page; it leaves the channel's list. */
export async function deleteClipSteps(creator: Page, base: string, clipUrl: string, slug: string): Promise<void> {
  await creator.goto(clipUrl);
  creator.once("dialog", (d) => void d.accept());
  await creator.click("[data-testid=clip-delete]");
  await creator.waitForURL(new RegExp(`/c/${slug}$`));
  const res = await fetch(`${base}/api/v1/clips/${clipUrl.split("/").pop()}`);
  expect(res.status).toBe(404);
}

/**
 * Reports: the viewer reports the creator's comment (twice: the second
 * collapses) and the video; an admin acts on the comment from the review
 * queue (deleted, in the audit log) and the comment shows as removed.
 */
export async function reportSteps(
  creator: Page,
  viewer: Page,
  admin: Page,
  base: string,
  videoId: string,
  accessible: Accessible,
): Promise<void> {
  await creator.goto(`${base}/v/${videoId}`);
  await creator.fill("#comment-new", "free skins at totally-legit.example");
  await creator.click("form button[type=submit]:has-text('Comment')");
  await creator.waitForSelector(".comment-body:has-text('totally-legit')");

  await viewer.goto(`${base}/v/${videoId}`);
  const comment = viewer.locator(".comment", { hasText: "totally-legit" });
  for (const expected of ["Thanks: the moderators will review it.", "You already reported this."]) {
    await comment.locator("[data-testid=report-comment] button:has-text('Report')").click();
    await comment.locator("select[name=reason]").selectOption("spam");
    await comment.locator("textarea[name=text]").fill("a scam link");
    if (expected.startsWith("Thanks")) {
      // The form opens below the comment: a screenshot of where it is, not of the page top.
      await comment.locator("form").scrollIntoViewIfNeeded();
      mkdirSync(ARTIFACTS, { recursive: true });
      await viewer.screenshot({ path: join(ARTIFACTS, "report-form-desktop.png") });
    }
    await comment.locator("button:has-text('Send report')").click();
    await comment.locator(`[data-testid=report-done]:has-text("${expected}")`).waitFor();
  }
  await viewer.click("[data-testid=report-video] button");
  await viewer.selectOption("[data-testid=report-video] select[name=reason]", "copyright");
  await viewer.click("[data-testid=report-video] button:has-text('Send report')");
  await viewer.waitForSelector("[data-testid=report-video] [data-testid=report-done]");

  // The admin's header has the queue; both reports wait there, the comment's text as it was.
  await admin.goto(base);
  await admin.click("header a:has-text('Reports')");
  await admin.waitForURL(/\/moderation/);
  const row = admin.locator("[data-testid=report]", { hasText: "totally-legit" });
  await row.waitFor();
  expect(await row.locator(".reasons").textContent()).toContain("Spam or scam × 1");
  await admin.waitForSelector("[data-testid=report]:has-text('video')");
  await screenshot(admin, "moderation-queue-desktop");
  await accessible(admin, "review queue");
  await row.locator("select").selectOption("delete_content");
  await row.locator("input[name=reason]").fill("scam link");
  await row.locator("button:has-text('Apply')").click();
  await row.waitFor({ state: "detached" });
  await admin.click("nav a:has-text('Audit log')");
  await admin.waitForSelector("[data-testid=audit-log] li:has-text('Delete the content')");

  await viewer.reload();
  await viewer.waitForSelector(".comment:has-text('Removed by a moderator')");
}

/**
 * The mail links and the account's own data: the verification link from
 * the registration mail, a password reset through /forgot-password, the
 * data export as a download, and deleting the account (the login fails after).
 */
export async function accountSteps(
  page: Page,
  base: string,
  dataDir: string,
  name: string,
  password: string,
  accessible: Accessible,
): Promise<void> {
  const email = `${name}@example.test`;
  await page.goto(`${base}/register`);
  await page.fill("#email", email);
  await page.fill("#username", name);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/dashboard/);

  // A full page load refreshes the session once; leaving the page before that refresh is answered
  // would lose the rotated cookie (docs/web.md), so every reload below waits for the header's name.
  const signedIn = () => page.waitForSelector(`header.topbar :text("${name}")`);
  await signedIn();
  const verify = await mailedLink(dataDir, email, "Confirm your email address", "/verify-email");
  await page.goto(verify.replace(/^https?:\/\/[^/]+/, base));
  await page.waitForSelector(`[data-testid=verify-email] .alert.ok:has-text("${email}")`);
  await signedIn();
  await screenshot(page, "verify-email-desktop");
  // The link is single-use.
  await page.reload();
  await page.waitForSelector("[data-testid=verify-email] .alert.error:has-text('invalid, already used or expired')");
  await signedIn();

  // Forgot the password: from the login page, logged out.
  await page.goto(`${base}/account/security`);
  await page.click("text=Log out everywhere");
  await page.waitForURL(/\/login/);
  await page.click("text=Forgot your password?");
  await page.fill("#email", email);
  await page.click("button:has-text('Send the link')");
  await page.waitForSelector(".alert.ok:has-text('If')");
  const reset = await mailedLink(dataDir, email, "Reset your Arena password", "/reset-password");
  await page.goto(reset.replace(/^https?:\/\/[^/]+/, base));
  const newPassword = `${password}-renewed`;
  await page.fill("#newPassword", newPassword);
  await page.fill("#confirm", newPassword);
  await screenshot(page, "reset-password-desktop");
  await accessible(page, "reset password");
  await page.click("button:has-text('Set the password')");
  await page.waitForSelector(".alert.ok:has-text('logged out everywhere')");
  await page.goto(`${base}/login?next=/account/data`);
  await page.fill("#login", name);
  await page.fill("#password", newPassword);
  await page.click("button[type=submit]");
  await page.waitForURL(/\/account\/data/);

  // The export downloads as one JSON file with the account in it.
  const download = page.waitForEvent("download");
  await page.click("[data-testid=export-data]");
  const file = await (await download).path();
  const archive = JSON.parse(readFileSync(file!, "utf8")) as { userId: string; services: Record<string, unknown> };
  expect(Object.keys(archive.services)).toContain("identity");
  expect(JSON.stringify(archive.services.identity)).toContain(email);
  await screenshot(page, "account-data-desktop");
  await accessible(page, "account data");

  // Deletion needs the password; a wrong one is refused inline.
  await page.fill("#del-password", "not-my-password-at-all");
  await page.fill("#del-confirm", name);
  await page.click("button:has-text('Delete my account')");
  await page.waitForSelector("[data-testid=delete-account] .alert.error");
  await page.fill("#del-password", newPassword);
  await page.click("button:has-text('Delete my account')");
  await page.waitForURL((u) => u.pathname === "/");
  await page.goto(`${base}/login`);
  await page.fill("#login", name);
  await page.fill("#password", newPassword);
  await page.click("button[type=submit]");
  await page.waitForSelector(".alert.error");
}
