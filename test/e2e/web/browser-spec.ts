/**
 * The platform and browser a web spec file runs against: web/dist built if stale, one embedded node (every
 * service in one process, as `npm start` runs it) and one Chromium (launched through helpers/browser, the one
 * place for its flags and profile), started before the file's tests and stopped after them.
 */
import type { Browser } from "playwright-core";
import { launchChromium, type LaunchedBrowser } from "../../helpers/browser";
import { ensureWebBuilt, startWebNode, type WebNode } from "../../helpers/web-e2e";

export interface BrowserSpec {
  web: WebNode;
  browser: Browser;
}

/** A build, the node's readiness (up to 150 s) and Chromium's launch, on a loaded machine. */
const START_TIMEOUT_MS = 240_000;

/**
 * Registers the file's start (beforeAll) and stop (afterAll) hooks; call it before the spec's own beforeAll so
 * the platform is up when that runs. `nodeEnv` is added to the node's environment (ARENA_ADMINS, ...).
 */
export function browserSpecForFile(nodeEnv: Record<string, string> = {}): () => BrowserSpec {
  let web: WebNode | undefined;
  let chromium: LaunchedBrowser | undefined;
  beforeAll(async () => {
    ensureWebBuilt();
    web = await startWebNode(nodeEnv);
    chromium = await launchChromium();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await chromium?.close();
    await web?.stop();
  });
  return () => {
    if (!web || !chromium) throw new Error("The web node or Chromium did not start (see the beforeAll error)");
    return { web, browser: chromium.browser };
  };
}
