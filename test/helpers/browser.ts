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

/**
 * What page-side callbacks (page.evaluate, $eval) touch, as `globalThis as unknown as PageWindow`:
 * the root tsconfig has no DOM lib, and a callback is serialized, so it cannot call a helper.
 */
export interface PageElement {
  id: string;
  className: string;
  textContent: string | null;
  blur(): void;
}
export interface PageWindow {
  document: { activeElement: PageElement | null };
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  scrollTo(x: number, y: number): void;
}
export interface PageVideo {
  currentTime: number;
  paused: boolean;
  readyState: number;
}
