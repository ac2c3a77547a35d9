/**
 * XSS: every payload of the corpus goes through the real create route
 * (markdown render + sanitize on write) and the stored HTML is checked twice:
 * structurally (only allow-listed tags, no handlers, no script URLs, iframes
 * only for the allow-listed player) and in Debian's Chromium (playwright-core,
 * network blocked), which must run no script at all while the HTML loads and
 * its elements receive focus, hover and toggle events.
 */
import sanitizeHtml from "sanitize-html";
import { isAllowedEmbed } from "../../../../services/content/blog/markdown-render";
import { launchChromium } from "../../../helpers/browser";
import { ok } from "../../media/videos/helpers/videos-api";
import { newActorWithRole, type BlogActor } from "./helpers/actors";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";
import { ALLOWED_TAGS, XSS_PAYLOADS } from "./helpers/xss-corpus";

const PAGE_URL = "https://arena.example/blog/site/xss-corpus";

let h: BlogHarness;
let editor: BlogActor;
const stored: Array<{ payload: string; html: string }> = [];

beforeAll(async () => {
  h = await startBlog();
  editor = await newActorWithRole(h.broker, h.base, "editor");
  // In parallel batches: the corpus is large and each create renders on the server.
  for (let i = 0; i < XSS_PAYLOADS.length; i += 10) {
    const batch = XSS_PAYLOADS.slice(i, i + 10);
    const created = await Promise.all(
      batch.map(async (payload, j) => {
        const post = ok(
          await editor.blog.create({
            blog: "site",
            title: `XSS ${i + j}: ${payload}`,
            summary: payload,
            body: `Intro\n\n${payload}\n`,
          }),
        );
        return { payload, html: (await h.blog.stores.posts.findById(post.id))?.bodyHtml ?? "" };
      }),
    );
    stored.push(...created);
  }
});

afterAll(async () => {
  await h?.stop();
});

interface Element {
  tag: string;
  attribs: Record<string, string>;
}

/** Every element of an HTML fragment with its decoded attributes (sanitize-html's parser, allowing everything). */
function elementsOf(html: string): Element[] {
  const found: Element[] = [];
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    exclusiveFilter: (frame) => {
      found.push({ tag: frame.tag, attribs: { ...frame.attribs } });
      return false;
    },
  });
  return found;
}

/**
 * Runs in the page (a string: the test compiles without DOM types). Fires
 * the events handlers listen to on every element, waits for loads and
 * errors, then reports anything that ran or could run.
 */
const PROBE = `(async () => {
  const all = Array.from(document.body.querySelectorAll("*"));
  for (const el of all) {
    for (const type of ["mouseover", "mouseenter", "focus", "toggle", "animationstart", "load", "error"])
      el.dispatchEvent(new Event(type, { bubbles: true }));
    if (el.focus) el.focus();
  }
  await new Promise((r) => setTimeout(r, 300));
  const allowedFrame = (src) => ["https://www.youtube-nocookie.com/embed/", "https://www.youtube.com/embed/", "https://player.vimeo.com/video/"].some((p) => src.startsWith(p));
  return {
    hits: window.__hits,
    pwned: window.__pwned ?? null,
    scripts: document.querySelectorAll("script").length,
    handlers: all.flatMap((el) => el.getAttributeNames().filter((n) => n.toLowerCase().startsWith("on"))),
    badLinks: Array.from(document.querySelectorAll("a[href]")).filter((a) => !["http:", "https:", "mailto:"].includes(a.protocol)).map((a) => a.protocol + " " + a.getAttribute("href")),
    badFrames: Array.from(document.querySelectorAll("iframe")).map((f) => f.src).filter((src) => !allowedFrame(src)),
    location: location.href,
  };
})()`;

const SCRIPT_URL = /^(javascript|data|vbscript|file):/i;
const squash = (url: string): string => url.replace(/[\u0000-\u0020\u007f-\u009f]/g, "");

describe("XSS corpus through create and render", () => {
  it(`has at least 50 payloads (${XSS_PAYLOADS.length})`, () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(stored.length).toBe(XSS_PAYLOADS.length);
  });

  it("stores only allow-listed tags and attributes, no handlers, no script URLs, only the allowed player iframe", () => {
    const problems: string[] = [];
    for (const { payload, html } of stored) {
      for (const el of elementsOf(html)) {
        if (!ALLOWED_TAGS.has(el.tag)) problems.push(`${payload} → <${el.tag}>`);
        for (const [name, value] of Object.entries(el.attribs)) {
          if (
            /^on/i.test(name) ||
            ["style", "srcdoc", "srcset", "formaction", "xlink:href"].includes(name.toLowerCase())
          )
            problems.push(`${payload} → ${el.tag}[${name}]`);
          if (["href", "src"].includes(name) && SCRIPT_URL.test(squash(value)))
            problems.push(`${payload} → ${el.tag}[${name}=${value}]`);
        }
        if (el.tag === "iframe" && !isAllowedEmbed(el.attribs.src))
          problems.push(`${payload} → iframe ${el.attribs.src}`);
        if (el.tag === "a" && el.attribs.rel !== "nofollow ugc noopener") problems.push(`${payload} → a without rel`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("keeps the allow-listed video embed, sandboxed", () => {
    const embed = stored.find((s) => s.payload.includes('embed/abcdefghijk" onload'));
    expect(embed?.html).toContain('<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk"');
    expect(embed?.html).toContain('sandbox="allow-scripts allow-same-origin allow-presentation"');
    expect(embed?.html).not.toContain("onload");
  });

  it("runs no script when Chromium renders every stored post", async () => {
    const chromium = await launchChromium();
    try {
      const context = await chromium.browser.newContext();
      const articles = stored.map((s, i) => `<article id="post-${i}">${s.html}</article>`).join("\n");
      const hook =
        "<script>window.__hits=[];for(const f of ['alert','confirm','prompt','print'])" +
        "window[f]=(...a)=>{window.__hits.push(f+'('+a.join(',')+')')};</script>";
      const document = `<!doctype html><html><head><meta charset="utf-8">${hook}</head><body>${articles}</body></html>`;
      // The page is served at the site's own origin (relative links resolve as they would there);
      // nothing else leaves the machine: embeds and images fail, which fires any onerror left behind.
      await context.route("**/*", (route) =>
        route.request().url() === PAGE_URL
          ? route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: document })
          : route.abort(),
      );
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(PAGE_URL, { waitUntil: "load" });
      const findings = (await page.evaluate(PROBE)) as Record<string, unknown>;
      expect({ ...findings, dialogs }).toEqual({
        hits: [],
        pwned: null,
        scripts: 1,
        handlers: [],
        badLinks: [],
        badFrames: [],
        location: PAGE_URL,
        dialogs: [],
      });
      // The hook works: a script that does run is seen.
      expect(await page.evaluate("window.alert('probe'), window.__hits")).toEqual(["alert(probe)"]);
      // And so is an unsanitized payload: the same page with one raw vector records its call.
      await page.setContent(
        `<!doctype html><html><head>${hook}</head><body><img src=x onerror=alert(1)></body></html>`,
      );
      expect(
        await page.waitForFunction("window.__hits.length > 0 && window.__hits").then((r) => r.jsonValue()),
      ).toEqual(["alert(1)"]);
    } finally {
      await chromium.close();
    }
  });

  it("keeps titles and summaries plain text and escapes them in feeds", async () => {
    ok(await editor.blog.publish((await h.blog.stores.posts.findOne({ title: { $ne: "" } }))?.id as string));
    const atom = await editor.blog.feed("site/atom");
    expect(atom.status).toBe(200);
    expect(atom.text).not.toMatch(/<script|<img|<svg|onerror=/i);
    const titles = (await h.blog.stores.posts.find({ limit: 500 })).map((p) => p.title + p.summary);
    expect(titles.filter((t) => /<[a-z!/]/i.test(t))).toEqual([]);
  });
});
