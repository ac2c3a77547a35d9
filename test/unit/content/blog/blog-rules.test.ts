import { sniffImage } from "../../../../services/content/blog/cover-actions";
import { renderAtom, renderRss, xmlEscape, type FeedItem } from "../../../../services/content/blog/feed-render";
import { isAllowedEmbed, renderMarkdown, RENDERER_VERSION } from "../../../../services/content/blog/markdown-render";
import { canEditComment, slugCandidate, slugify } from "../../../../services/content/blog/post-rules";
import { ReadCache } from "../../../../services/content/blog/read-cache";

describe("markdown rendering", () => {
  it("renders common markdown and keeps code as text", () => {
    const html = renderMarkdown(
      "## Tips\n\n- **one**\n- `two <b>`\n\n```ts\nconst a = 1 < 2;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    );
    expect(html).toContain("<h2>Tips</h2>");
    expect(html).toContain("<strong>one</strong>");
    expect(html).toContain("<code>two &lt;b&gt;</code>");
    expect(html).toContain('<code class="language-ts">const a = 1 &lt; 2;');
    expect(html).toContain("<td>1</td>");
  });

  it("links get rel=nofollow ugc noopener; bare URLs become links", () => {
    expect(renderMarkdown("[x](https://a.example) https://b.example")).toBe(
      '<p><a href="https://a.example" rel="nofollow ugc noopener">x</a> <a href="https://b.example" rel="nofollow ugc noopener">https://b.example</a></p>\n',
    );
  });

  it("allows exactly the known players' embed pages", () => {
    expect(isAllowedEmbed("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")).toBe(true);
    expect(isAllowedEmbed("https://player.vimeo.com/video/12345")).toBe(true);
    for (const bad of [
      "http://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
      "https://www.youtube-nocookie.com:444/embed/dQw4w9WgXcQ",
      "https://u:p@www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
      "https://www.youtube-nocookie.com/watch?v=dQw4w9WgXcQ",
      "https://evil.example/embed/dQw4w9WgXcQ",
      "javascript:alert(1)",
      undefined,
    ])
      expect(isAllowedEmbed(bad)).toBe(false);
  });

  it("names the renderer version for blog.rerender", () => {
    expect(RENDERER_VERSION).toMatch(/^markdown-it@\d+\.\d+\.\d+\+sanitize-html@\d+\.\d+\.\d+\+rules@\d+$/);
  });
});

describe("slugs", () => {
  it("slugify makes readable ASCII slugs", () => {
    expect(slugify("Pokémon: Legends — Z-A Review!")).toBe("pokemon-legends-z-a-review");
    expect(slugify("日本語")).toBe("post");
    expect(slugify("x".repeat(300)).length).toBeLessThanOrEqual(88);
    expect([0, 1, 2].map((n) => slugCandidate("a", n))).toEqual(["a", "a-2", "a-3"]);
  });
});

describe("comment edit window", () => {
  const at = new Date("2026-01-01T00:00:00Z");
  const comment = { authorId: "u1", status: "visible" as const, createdAt: at };
  it("lets the author edit within the window only", () => {
    expect(canEditComment("u1", comment, 60_000, at.getTime() + 59_000)).toBe("ok");
    expect(canEditComment("u1", comment, 60_000, at.getTime() + 61_000)).toBe("window-closed");
    expect(canEditComment("u2", comment, 60_000, at.getTime())).toBe("not-author");
    expect(canEditComment("u1", { ...comment, status: "hidden" }, 60_000, at.getTime())).toBe("not-author");
  });
});

describe("feeds", () => {
  const item: FeedItem = {
    id: "p1",
    title: "A & B <c>",
    summary: "sum\u0001mary",
    html: "<p>hi</p>",
    url: "https://arena.example/blog/site/a-b",
    authorName: "ed",
    category: "news",
    tags: ["fps"],
    publishedAt: new Date("2026-01-02T03:04:05Z"),
    changedAt: new Date("2026-01-03T03:04:05Z"),
    coverUrl: null,
  };
  const meta = {
    title: "Arena",
    description: "d",
    selfUrl: "https://arena.example/api/v1/blog/feeds/site/rss",
    siteUrl: "https://arena.example/blog/site",
    updatedAt: new Date("2026-01-03T03:04:05Z"),
  };
  it("escapes text for XML and drops characters XML cannot carry", () => {
    expect(xmlEscape(`<a href="x">'&'</a>\u0000`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  });
  it("RSS 2.0 and Atom carry absolute links, dates and escaped content", () => {
    const rss = renderRss(meta, [item]);
    expect(rss).toContain("<title>A &amp; B &lt;c&gt;</title>");
    expect(rss).toContain("<pubDate>Fri, 02 Jan 2026 03:04:05 GMT</pubDate>");
    expect(rss).toContain("<content:encoded>&lt;p&gt;hi&lt;/p&gt;</content:encoded>");
    expect(rss).toContain("<description>summary</description>");
    const atom = renderAtom(meta, [item]);
    expect(atom).toContain('<link rel="alternate" type="text/html" href="https://arena.example/blog/site/a-b"/>');
    expect(atom).toContain("<updated>2026-01-03T03:04:05.000Z</updated>");
  });
});

describe("cover sniffing", () => {
  it("knows PNG, JPEG, GIF and WebP by their first bytes only", () => {
    expect(sniffImage(Buffer.from("89504e470d0a1a0a00", "hex"))).toBe("png");
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe("jpg");
    expect(sniffImage(Buffer.from("GIF89a...."))).toBe("gif");
    expect(sniffImage(Buffer.from("RIFF\u0000\u0000\u0000\u0000WEBPVP8 "))).toBe("webp");
    expect(sniffImage(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImage(Buffer.from("RIFF\u0000\u0000\u0000\u0000AVI "))).toBeNull();
  });
});

describe("read cache", () => {
  it("drops a blog's entries on invalidation and refuses stale writes from reads that started before it", async () => {
    const cache = new ReadCache(2, 1000);
    expect(await cache.through("a", "site", async () => 1)).toBe(1);
    expect(await cache.through("a", "site", async () => 2)).toBe(1);
    const generation = cache.generation("site");
    cache.invalidate("site");
    cache.set("b", "site", generation, "stale");
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeUndefined();
    cache.set("x", "c1", 0, 1);
    cache.set("y", "c1", 0, 2);
    cache.set("z", "c1", 0, 3);
    expect(cache.get("x")).toBeUndefined();
    expect(cache.get("z", Date.now() + 2000)).toBeUndefined();
  });
});
