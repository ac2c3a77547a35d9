/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser):
 * headless, sandbox off (containers), no background traffic, and a fresh
 * profile per launch (Playwright always starts Chromium on a new temporary
 * --user-data-dir and removes it on close; it refuses one passed in args).
 * Autoplay with sound is allowed so players start on their own.
 */
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(extraArgs: string[] = []): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--autoplay-policy=no-user-gesture-required",
      "--mute-audio",
      ...extraArgs,
    ],
  });
  return {
    browser,
    close: () => browser.close().catch(() => undefined),
  };
}
