/**
 * A blog post's comments in a real browser against one embedded node: a post without comments says so
 * (instead of an empty section), and "More comments" appends the next page once however fast it is
 * clicked (the list used to fetch and append the same page once per click), and a page that fails to load
 * can be asked again (a failed page used to leave the error and no way on but a reload).
 */
import type { Page } from "playwright-core";
import { ok } from "../../helpers/api-client";
import { waitFor } from "../../helpers/infra";
import type { WebNode } from "../../helpers/web-e2e";
import { browserSpecForFile } from "./browser-spec";
import { signedIn } from "./page-setup";
import { watchedPage } from "./watched-page";

const suffix = Date.now().toString(36);
/** A page is 20: the second holds 5. An author may post 5 comments a minute (blog commentRateLimit). */
const AUTHORS = 5;
const PER_AUTHOR = 5;

describe("web client: blog comments", () => {
  const spec = browserSpecForFile();
  let web: WebNode;
  let page: Page;
  let problems: string[] = [];
  let channelId = "";
  const slugs = { busy: "", quiet: "" };

  beforeAll(async () => {
    ({ web } = spec());
    const owner = await signedIn(web.base, `bco_${suffix}`);
    const channel = ok(await owner.channels.create({ slug: `bc-${suffix}`, title: "Blog comments" }), 201) as {
      channel: { id: string };
    };
    channelId = channel.channel.id;
    for (const which of ["busy", "quiet"] as const) {
      const post = ok(
        await owner.request<{ id: string; slug: string }>("POST", "/blog/posts", {
          blog: channelId,
          title: `A ${which} post`,
          body: "words",
        }),
        201,
      );
      ok(await owner.request("POST", `/blog/posts/${post.id}/publish`, {}));
      slugs[which] = post.slug;
      if (which !== "busy") continue;
      for (let a = 0; a < AUTHORS; a++) {
        const author = await signedIn(web.base, `bca${a}_${suffix}`);
        for (let i = 0; i < PER_AUTHOR; i++)
          ok(await author.request("POST", `/blog/posts/${post.id}/comments`, { body: `note ${a}-${i}` }), 201);
      }
    }
    ({ page, problems } = await watchedPage(spec().browser));
  }, 240_000);

  afterEach(() => {
    expect(problems).toEqual([]);
  });

  it("a post without comments says there are none yet", async () => {
    await page.goto(`${web.base}/blog/${channelId}/${slugs.quiet}`);
    await page.waitForSelector("[data-testid=no-comments]:has-text('No comments yet')");
  });

  it("More comments, clicked twice at once, appends the second page once", async () => {
    await page.goto(`${web.base}/blog/${channelId}/${slugs.busy}`);
    const pages = { asked: 0, settled: 0 };
    const isNextPage = (url: string) => url.includes("/comments?") && url.includes("cursor=");
    page.on("request", (r) => void (isNextPage(r.url()) && pages.asked++));
    page.on("requestfinished", (r) => void (isNextPage(r.url()) && pages.settled++));
    page.on("requestfailed", (r) => void (isNextPage(r.url()) && pages.settled++));
    const bodies = page.locator(".comments .comment-body");
    await bodies.nth(19).waitFor();
    await page.locator("button:has-text('More comments')").dblclick();
    await bodies.nth(AUTHORS * PER_AUTHOR - 1).waitFor();
    await page.locator("button:has-text('More comments')").waitFor({ state: "detached" });
    // Every page asked for has landed (or was dropped): a duplicate append would be on screen now.
    await waitFor(() => pages.asked > 0 && pages.asked === pages.settled, { what: "comment pages settled" });
    // ...and rendered: the app handles an answer in a task after it lands, then paints.
    await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))");
    const texts = await bodies.allTextContents();
    expect(texts.length).toBe(AUTHORS * PER_AUTHOR);
    expect(new Set(texts).size).toBe(AUTHORS * PER_AUTHOR);
    expect(await page.locator("[data-testid=no-comments]").count()).toBe(0);
  });

  it("a page of comments that fails to load says so, keeps the first page and loads on Try again", async () => {
    // The next page's request fails once (a dropped connection), then the network is back.
    await page.route(
      (url) => url.pathname.endsWith("/comments") && url.searchParams.has("cursor"),
      (route) => route.abort("connectionreset"),
      { times: 1 },
    );
    await page.goto(`${web.base}/blog/${channelId}/${slugs.busy}`);
    const bodies = page.locator(".comments .comment-body");
    await bodies.nth(19).waitFor();
    await page.click("button:has-text('More comments')");
    await page.locator(".comments [role=alert]").waitFor();
    expect(await bodies.count()).toBe(20);
    await page.click("button:has-text('Try again')");
    await bodies.nth(AUTHORS * PER_AUTHOR - 1).waitFor();
    await page.locator("button:has-text('Try again')").waitFor({ state: "detached" });
    expect(await page.locator(".comments [role=alert]").count()).toBe(0);
    expect(new Set(await bodies.allTextContents()).size).toBe(AUTHORS * PER_AUTHOR);
  });
});
