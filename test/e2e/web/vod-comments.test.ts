/**
 * A VOD's comments in a real browser against one embedded node: a video without comments says so, and a
 * reply posted to a thread not opened yet opens the thread with its earlier replies and the new one at its
 * end (it used to show the new reply alone and drop "View N replies", so the earlier ones could no longer
 * be shown).
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { ok } from "../../helpers/api-client";
import { createTempDir, waitFor, type TempDir } from "../../helpers/infra";
import type { WebNode } from "../../helpers/web-e2e";
import { makeClip } from "../../integration/media/videos/helpers/clip";
import { videosApi } from "../../integration/media/videos/helpers/videos-api";
import type { VideoView } from "../../../services/media/videos/video.types";
import { browserSpecForFile } from "./browser-spec";
import { logInWithForm, signedIn } from "./page-setup";
import { watchedPage } from "./watched-page";

const suffix = Date.now().toString(36);

describe("web client: VOD comments", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let work: TempDir;
  let page: Page;
  let problems: string[] = [];
  const viewer = `vcv_${suffix}`;
  const videoIds = { quiet: "", busy: "" };

  beforeAll(async () => {
    ({ web } = spec());
    work = createTempDir();
    const creator = await signedIn(web.base, `vcc_${suffix}`);
    const channel = ok(await creator.channels.create({ slug: `vc-${suffix}`, title: "VOD comments" }), 201) as {
      channel: { id: string };
    };
    const videos = videosApi(creator);
    const clip = readFileSync(makeClip(work.path, { seconds: 1 }));
    for (const which of ["quiet", "busy"] as const) {
      const draft = ok(await videos.create({ channelId: channel.channel.id, title: `A ${which} video` }), 201);
      ok(await videos.upload(draft.id, clip, "video/mp4"));
      videoIds[which] = draft.id;
    }
    for (const id of Object.values(videoIds))
      await waitFor(
        async () => {
          const video = ok(await videos.get(id)) as VideoView;
          if (video.status === "failed") throw new Error(`failed: ${video.failureReason}`);
          return video.status === "ready";
        },
        { timeoutMs: 120_000, intervalMs: 300, what: `video ${id} ready` },
      );
    const root = ok(
      await creator.request<{ id: string }>("POST", `/videos/${videoIds.busy}/comments`, { body: "Root of a thread" }),
      201,
    );
    for (const body of ["earlier reply 1", "earlier reply 2"])
      ok(await creator.request("POST", `/videos/${videoIds.busy}/comments`, { body, parentId: root.id }), 201);
    await signedIn(web.base, viewer);
    ({ page, problems } = await watchedPage(spec().browser));
    await logInWithForm(page, web.base, viewer);
  }, 240_000);

  afterAll(() => {
    work?.remove();
  });

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it("a video without comments says there are none yet", async () => {
    await page.goto(`${web.base}/v/${videoIds.quiet}`);
    await page.waitForSelector("[data-testid=no-comments]:has-text('No comments yet')");
  });

  it("a reply to an unopened thread shows the thread's earlier replies, then the new one", async () => {
    await page.goto(`${web.base}/v/${videoIds.busy}`);
    const thread = page.locator(".comments > div > div").filter({ hasText: "Root of a thread" });
    await thread.locator("button:has-text('View 2 replies')").waitFor();
    await thread.locator("button.linklike:has-text('Reply')").first().click();
    await thread.locator("textarea").fill("my reply");
    await thread.locator("button[type=submit]:has-text('Reply')").click();
    const replies = thread.locator(".replies .comment-body");
    await replies.nth(2).waitFor();
    expect(await replies.allTextContents()).toEqual(["earlier reply 1", "earlier reply 2", "my reply"]);
    expect(await thread.locator("button:has-text('View')").count()).toBe(0);
  });
});
