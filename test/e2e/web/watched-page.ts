/**
 * A browser page whose problems a spec expects none of: uncaught page errors, and console errors that report a
 * Content Security Policy violation (a blocked script, style or connection means the CSP and the client disagree).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** What went wrong on the page so far, one line each; a spec expects it empty after each test. */
  problems: string[];
}

export interface Viewport {
  width: number;
  height: number;
}

export const DESKTOP: Viewport = { width: 1366, height: 860 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A page in a fresh context (its own cookies: one person) sized `viewport`, recording its problems. */
export async function watchedPage(browser: Browser, viewport: Viewport = DESKTOP): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return { context, page, problems };
}
