/**
 * The blog end to end through the real gateway on real PostgreSQL: drafts,
 * publishing, slugs and redirects, revisions, listings and related posts,
 * feeds with conditional GET, comments, read counts and the durable events.
 */
import { waitFor } from "../../../helpers/infra";
import { ok } from "../../media/videos/helpers/videos-api";
import { anonymousBlog, createChannel, newActorWithRole, newBlogActor, type BlogActor } from "./helpers/actors";
import type { BlogApi } from "./helpers/blog-api";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";

let h: BlogHarness;
let editor: BlogActor;
let owner: BlogActor;
let reader: BlogActor;
let anon: BlogApi;
let channelId: string;

beforeAll(async () => {
  h = await startBlog({ blogSettings: { commentRateLimit: { max: 3, windowMs: 60_000 }, coverMaxBytes: 200_000 } });
  [editor, owner, reader] = await Promise.all([
    newActorWithRole(h.broker, h.base, "editor"),
    newBlogActor(h.base, "own"),
    newBlogActor(h.base, "rdr"),
  ]);
  channelId = await createChannel(owner);
  anon = anonymousBlog(h.base);
});

afterAll(async () => {
  await h?.stop();
});

describe("writing and publishing", () => {
  it("keeps a draft private, renders markdown once, publishes with an event", async () => {
    const draft = ok(
      await editor.blog.create({
        blog: "site",
        title: "Patch 1.2: what changed",
        summary: "Balance changes <b>and</b> fixes",
        body: "# Patch notes\n\nSee [the forum](https://forum.example/x) <script>alert(1)</script>",
        category: "News",
        tags: ["Patch", "FPS", "patch"],
      }),
    );
    expect(draft).toMatchObject({
      status: "draft",
      slug: "patch-1-2-what-changed",
      summary: "Balance changes and fixes",
      category: "news",
      tags: ["patch", "fps"],
      kind: "news",
      revision: 1,
    });
    expect(draft.html).toContain('<a href="https://forum.example/x" rel="nofollow ugc noopener">the forum</a>');
    expect(draft.html).not.toContain("script");
    expect(draft.markdown).toContain("<script>");
    expect((await anon.get(draft.id)).status).toBe(404);
    expect((await reader.blog.get(draft.id)).status).toBe(404);
    expect(ok(await anon.list({ blog: "site" })).items).toEqual([]);

    const published = ok(await editor.blog.publish(draft.id));
    expect(published.status).toBe("published");
    const seen = ok(await anon.get(draft.id));
    expect(seen.markdown).toBeUndefined();
    expect(seen.url).toBe("https://arena.example/blog/site/patch-1-2-what-changed");
    const event = await waitFor(() => h.events.find((e) => e.type === "post.published"), { what: "post.published" });
    expect(event.payload).toMatchObject({
      postId: draft.id,
      blogId: "site",
      channelId: null,
      authorId: editor.id,
      title: "Patch 1.2: what changed",
      tags: ["patch", "fps"],
      category: "news",
      kind: "news",
      visibility: "public",
      scheduled: false,
    });
  });

  it("serves readers the cached post until an edit, unpublish or delete changes it, and writers their own view", async () => {
    const post = ok(await editor.blog.create({ blog: "site", title: "Cached read", body: "first **body**" }));
    ok(await editor.blog.publish(post.id));
    // Twice: the second answer comes from the read cache (the reader view built once).
    expect(ok(await anon.get(post.id)).html).toContain("<strong>body</strong>");
    expect(ok(await reader.blog.get(post.id)).markdown).toBeUndefined();
    expect(ok(await editor.blog.get(post.id)).markdown).toBe("first **body**");
    ok(await editor.blog.update(post.id, { body: "second _body_" }));
    expect(ok(await anon.get(post.id)).html).toContain("<em>body</em>");
    ok(await editor.blog.unpublish(post.id));
    expect((await anon.get(post.id)).status).toBe(404);
    ok(await editor.blog.publish(post.id));
    expect(ok(await anon.get(post.id)).html).toContain("<em>body</em>");
    ok(await editor.blog.remove(post.id));
    expect((await anon.get(post.id)).status).toBe(404);
  });

  it("renames keep the old slug as a 301; edits add revisions an editor can restore", async () => {
    const post = ok(
      await editor.blog.create({ blog: "site", title: "Best controllers", body: "v1 body", kind: "guide" }),
    );
    ok(await editor.blog.publish(post.id));
    const renamed = ok(await editor.blog.update(post.id, { slug: "best-controllers-2026", body: "v2 body **bold**" }));
    expect(renamed).toMatchObject({ slug: "best-controllers-2026", revision: 2 });
    const res = await fetch(`${h.base}/api/v1/blog/site/posts/best-controllers`, { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/api/v1/blog/site/posts/best-controllers-2026");
    expect(ok(await anon.bySlug("site", "best-controllers-2026")).html).toContain("<strong>bold</strong>");
    // Another post cannot take the old slug.
    expect((await editor.blog.create({ blog: "site", title: "x", body: "y", slug: "best-controllers" })).status).toBe(
      409,
    );

    const revisions = ok(await editor.blog.revisions(post.id)).items;
    expect(revisions.map((r) => r.revision)).toEqual([2, 1]);
    const restored = ok(await editor.blog.restore(post.id, 1));
    expect(restored).toMatchObject({ revision: 3, markdown: "v1 body" });
    expect(restored.html).toBe("<p>v1 body</p>\n");
    await waitFor(() =>
      h.events.find((e) => e.type === "post.updated" && (e.payload as { postId: string }).postId === post.id),
    );
    expect((await reader.blog.revisions(post.id)).status).toBe(403);
  });

  it("a channel owner and the editors they name write on the channel blog, nobody else", async () => {
    const named = await newBlogActor(h.base, "nam");
    expect((await named.blog.create({ blog: channelId, title: "t", body: "b" })).status).toBe(403);
    ok(await owner.blog.addEditor(channelId, named.id));
    const post = ok(
      await named.blog.create({ blog: channelId, title: "Our review", body: "9/10", kind: "review", reviewScore: 9 }),
    );
    expect(post).toMatchObject({ blogId: channelId, channelId, reviewScore: 9, kind: "review" });
    ok(await owner.blog.publish(post.id));
    expect((await reader.blog.update(post.id, { title: "x" })).status).toBe(403);
    // A channel editor is no site editor.
    expect((await named.blog.create({ blog: "site", title: "t", body: "b" })).status).toBe(403);
    expect((await editor.blog.update(post.id, { title: "x" })).status).toBe(403);
    ok(await owner.blog.removeEditor(channelId, named.id));
    expect((await named.blog.update(post.id, { title: "x" })).status).toBe(403);
    expect(
      (await named.blog.create({ blog: "site", title: "t", body: "b", kind: "news", reviewScore: 3 })).status,
    ).toBe(403);
    expect((await owner.blog.create({ blog: channelId, title: "t", body: "b", reviewScore: 3 })).status).toBe(400);
  });
});

describe("re-rendering", () => {
  it("an admin re-renders posts made with another renderer version from their stored markdown", async () => {
    const admin = await newActorWithRole(h.broker, h.base, "admin", "adm");
    const p = ok(
      await editor.blog.create({ blog: "site", title: "Old render", body: "**kept** [x](https://x.example)" }),
    );
    ok(await editor.blog.publish(p.id));
    // As if rendered by an older sanitizer that let something through.
    await h.blog.stores.posts.updateMany(
      { id: p.id },
      { bodyHtml: "<p onclick=alert(1)>old</p>", renderedWith: "old" },
    );
    expect((await editor.blog.rerender()).status).toBe(403);
    const result = ok(await admin.blog.rerender());
    expect(result).toMatchObject({ rendered: 1 });
    const doc = await h.blog.stores.posts.findById(p.id);
    expect(doc?.bodyHtml).toBe(
      '<p><strong>kept</strong> <a href="https://x.example" rel="nofollow ugc noopener">x</a></p>\n',
    );
    expect(ok(await anon.get(p.id)).html).toBe(doc?.bodyHtml);
  });
});

describe("reading", () => {
  it("lists by blog, category, tag, kind and author in cursor pages; related posts share tags", async () => {
    const ids: string[] = [];
    for (const [i, tags] of [["moba"], ["moba", "esports"], ["esports"], ["moba", "esports", "lol"]].entries()) {
      const p = ok(
        await editor.blog.create({
          blog: "site",
          title: `Listing ${i}`,
          body: "b",
          tags,
          category: "league",
          kind: "news",
        }),
      );
      ok(await editor.blog.publish(p.id));
      ids.push(p.id);
    }
    const first = ok(await anon.list({ category: "league", limit: 3 }));
    expect(first.items.map((p) => p.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = ok(await anon.list({ category: "league", limit: 3, cursor: first.nextCursor as string }));
    expect(second.items.map((p) => p.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect(ok(await anon.list({ tag: "MOBA", category: "league" })).items.map((p) => p.id)).toEqual([
      ids[3],
      ids[1],
      ids[0],
    ]);
    expect(ok(await anon.list({ authorId: editor.id, kind: "guide" })).items.length).toBe(1);
    expect(
      ok(await anon.related(ids[3] as string))
        .items.map((p) => p.id)
        .slice(0, 2),
    ).toEqual([ids[1], ids[2]]);
    expect((await anon.list({ cursor: "garbage" })).status).toBe(400);
    expect((await reader.blog.list({ blog: "site", status: "draft" })).status).toBe(403);
    expect((await anon.list({ blog: "no-such-channel" })).status).toBe(404);
  });

  it("counts a read once per reader per window", async () => {
    const p = ok(await editor.blog.create({ blog: "site", title: "Views", body: "b" }));
    expect((await reader.blog.view(p.id)).status).toBe(404);
    ok(await editor.blog.publish(p.id));
    expect(ok(await reader.blog.view(p.id))).toMatchObject({ counted: true, viewCount: 1 });
    expect(ok(await reader.blog.view(p.id))).toMatchObject({ counted: false, viewCount: 1 });
    expect(ok(await owner.blog.view(p.id))).toMatchObject({ counted: true, viewCount: 2 });
  });
});

describe("feeds", () => {
  it("serves RSS and Atom per blog, category and tag, with ETag/Last-Modified and 304s; publishing invalidates", async () => {
    const rss = await anon.feed("site/rss");
    expect(rss.status).toBe(200);
    expect(rss.headers.get("content-type")).toBe("application/rss+xml; charset=utf-8");
    expect(rss.text).toContain('<rss version="2.0"');
    expect(rss.text).toContain("<link>https://arena.example/blog/site/patch-1-2-what-changed</link>");
    expect(rss.text).toContain('href="https://arena.example/api/v1/blog/feeds/site/rss" rel="self"');
    const etag = rss.headers.get("etag") as string;
    const lastModified = rss.headers.get("last-modified") as string;
    expect(etag).toMatch(/^"/);
    expect(new Date(lastModified).getTime()).toBeGreaterThan(0);
    expect((await anon.feed("site/rss", { "if-none-match": etag })).status).toBe(304);
    expect((await anon.feed("site/rss", { "if-modified-since": lastModified })).status).toBe(304);

    const atom = await anon.feed("site/atom");
    expect(atom.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(atom.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    const byTag = await anon.feed("site/tag/esports/atom");
    expect(byTag.text).toContain("Listing 3");
    expect(byTag.text).not.toContain("Listing 0");
    const byCategory = await anon.feed("site/category/league/rss");
    expect(byCategory.text).toContain("Listing 0");
    expect(byCategory.text).not.toContain("Patch 1.2");
    expect((await anon.feed("site/json")).status).toBe(400);
    expect((await anon.feed("unknown-channel/rss")).status).toBe(404);

    const fresh = ok(await editor.blog.create({ blog: "site", title: "Fresh & new <news>", body: "x" }));
    ok(await editor.blog.publish(fresh.id));
    const after = await anon.feed("site/rss", { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.text).toContain("<title>Fresh &amp; new</title>");
  });
});

describe("comments", () => {
  let postId: string;
  beforeAll(async () => {
    const p = ok(await owner.blog.create({ blog: channelId, title: "Comment here", body: "b" }));
    postId = ok(await owner.blog.publish(p.id)).id;
  });

  it("threads replies, applies the channel's blocked terms, rate limits, and announces comments", async () => {
    await h.broker.call(
      "chat.moderate",
      { channelId, command: { action: "blockTerm", term: "spoiler" } },
      { meta: { user: { id: owner.id, username: owner.username, roles: ["viewer"] } } },
    );
    // The channel's chat list governs its blog comments too (evasions included).
    expect((await reader.blog.comment(postId, "big SP0ILER ahead")).status).toBe(400);
    const top = ok(await reader.blog.comment(postId, "First!"));
    const reply = ok(await owner.blog.comment(postId, "Thanks", top.id));
    expect(reply).toMatchObject({ parentId: top.id, rootId: top.id, depth: 1 });
    const thread = ok(await anon.comments(postId, { rootId: top.id }));
    expect(thread.items.map((c) => c.id)).toEqual([reply.id]);
    expect(ok(await anon.comments(postId)).items.map((c) => c.id)).toEqual([top.id]);
    const event = await waitFor(() => h.events.find((e) => e.type === "post.comment.created"));
    expect(event.payload).toMatchObject({ postId, channelId, postAuthorId: owner.id, authorId: reader.id });
    expect((await reader.blog.comment(postId, "   ")).status).toBe(400);
    ok(await reader.blog.comment(postId, "two"));
    ok(await reader.blog.comment(postId, "three"));
    expect((await reader.blog.comment(postId, "four")).status).toBe(429);
  });

  it("a created post and comment answer 201 with the Location of what was created", async () => {
    const created = await owner.blog.create({ blog: channelId, title: "Located", body: "b" });
    const post = ok(created, [201]);
    expect(created.headers.get("location")).toBe(`/api/v1/blog/posts/${post.id}`);
    expect(ok(await owner.blog.get(post.id)).id).toBe(post.id);
    const commented = await owner.blog.comment(postId, "located");
    const comment = ok(commented, [201]);
    expect(commented.headers.get("location")).toBe(`/api/v1/blog/posts/${postId}/comments/${comment.id}`);
  });

  it("lets authors edit and delete, moderators hide and remove, and closes comments per post", async () => {
    const commenter = await newBlogActor(h.base, "cmt");
    const mod = await newBlogActor(h.base, "mod");
    ok(await owner.api.channels.addModerator(channelId, mod.id));
    const c = ok(await commenter.blog.comment(postId, "original"));
    expect(ok(await commenter.blog.editComment(postId, c.id, "edited")).edited).toBe(true);
    expect((await mod.blog.editComment(postId, c.id, "nope")).status).toBe(403);
    expect((await reader.blog.hideComment(postId, c.id)).status).toBe(403);
    expect(ok(await mod.blog.hideComment(postId, c.id)).status).toBe("hidden");
    const publicView = ok(await anon.comments(postId)).items.find((x) => x.id === c.id);
    expect(publicView).toMatchObject({ status: "hidden", body: "", authorId: null });
    expect(ok(await mod.blog.hideComment(postId, c.id, false)).status).toBe("visible");
    expect(ok(await mod.blog.deleteComment(postId, c.id)).status).toBe("removed");
    const own = ok(await commenter.blog.comment(postId, "mine"));
    expect(ok(await commenter.blog.deleteComment(postId, own.id)).status).toBe("deleted");

    ok(await owner.blog.update(postId, { commentsClosed: true }));
    expect((await commenter.blog.comment(postId, "closed?")).status).toBe(409);
  });
});

describe("covers", () => {
  const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
  const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 1)]);

  it("are sniffed, size-limited, stored through lib/storage and served with long caching", async () => {
    const p = ok(await editor.blog.create({ blog: "site", title: "With a cover", body: "b" }));
    // The declared type is a claim; the bytes decide.
    expect((await editor.blog.uploadCover(p.id, Buffer.from("<svg onload=alert(1)>"), "image/png")).status).toBe(415);
    expect((await editor.blog.uploadCover(p.id, Buffer.alloc(300_000, 0xff), "image/jpeg")).status).toBe(413);
    const withPng = ok(await editor.blog.uploadCover(p.id, PNG, "application/octet-stream"));
    const pngUrl = withPng.coverUrl as string;
    expect(pngUrl).toMatch(/^https:\/\/arena\.example\/api\/v1\/blog\/covers\/[^/]+\/[a-f0-9]{20}\.png$/);
    const path = new URL(pngUrl).pathname;
    // A draft's cover is its writers' only.
    expect((await fetch(`${h.base}${path}`)).status).toBe(404);
    ok(await editor.blog.publish(p.id));
    const served = await fetch(`${h.base}${path}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
    // A new cover gets a new URL; the old object is gone.
    const withJpeg = ok(await editor.blog.uploadCover(p.id, JPEG, "image/jpeg"));
    expect(withJpeg.coverUrl).toMatch(/\.jpg$/);
    expect((await fetch(`${h.base}${path}`)).status).toBe(404);
    expect(await h.blog.storage.list(`blog/covers/${p.id}/`)).toHaveLength(1);
    expect((await anon.feed("site/rss")).text).toContain(`<enclosure url="${withJpeg.coverUrl}"`);
    expect(ok(await editor.blog.removeCover(p.id)).coverUrl).toBeNull();
    expect(await h.blog.storage.list(`blog/covers/${p.id}/`)).toHaveLength(0);
  });
});

describe("deleting", () => {
  it("removes the post and everything hanging off it, with an event", async () => {
    const p = ok(await editor.blog.create({ blog: "site", title: "Doomed", body: "b" }));
    ok(await editor.blog.publish(p.id));
    ok(await owner.blog.comment(p.id, "bye"));
    expect((await reader.blog.remove(p.id)).status).toBe(403);
    expect(ok(await editor.blog.remove(p.id))).toEqual({ id: p.id, deleted: true });
    expect((await anon.get(p.id)).status).toBe(404);
    expect(await h.blog.stores.comments.count({ postId: p.id })).toBe(0);
    expect(await h.blog.stores.slugs.count({ postId: p.id })).toBe(0);
    await waitFor(() =>
      h.events.find((e) => e.type === "post.deleted" && (e.payload as { postId: string }).postId === p.id),
    );
  });
});
