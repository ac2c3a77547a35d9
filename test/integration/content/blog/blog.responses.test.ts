/**
 * Every /blog operation called for real, each answer checked against the
 * status and body schema the OpenAPI document declares (issue 9).
 */
import { ApiClient } from "../../../helpers/api-client";
import { ResponseCheck } from "../../../helpers/response-check";
import { ok } from "../../media/videos/helpers/videos-api";
import { createChannel, newActorWithRole, newBlogActor, type BlogActor } from "./helpers/actors";
import { blogApi } from "./helpers/blog-api";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";

let h: BlogHarness;
let check: ResponseCheck;

/** The actor, its calls going through the checking fetch. */
function checked(actor: BlogActor): BlogActor {
  const api = new ApiClient(h.base, actor.token, check.fetch);
  return { ...actor, api, blog: blogApi(api) };
}

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

beforeAll(async () => {
  h = await startBlog();
  check = await ResponseCheck.load(h.base);
});

afterAll(async () => {
  await h?.stop();
});

describe("blog responses match the OpenAPI document", () => {
  it("answers every operation with its declared status and body", async () => {
    const editor = checked(await newActorWithRole(h.broker, h.base, "editor"));
    const admin = checked(await newActorWithRole(h.broker, h.base, "admin"));
    const owner = checked(await newBlogActor(h.base, "own"));
    const reader = checked(await newBlogActor(h.base, "rdr"));
    const anon = blogApi(new ApiClient(h.base, undefined, check.fetch));
    const channelId = await createChannel(owner);

    const post = ok(
      await editor.blog.create({ blog: "site", title: "Documented", body: "# Hi\n\ntext", tags: ["doc", "api"] }),
    );
    const other = ok(await editor.blog.create({ blog: "site", title: "Related", body: "more", tags: ["doc"] }));
    ok(await editor.blog.update(post.id, { body: "# Hi\n\nedited" }));
    ok(await editor.blog.revisions(post.id));
    ok(await editor.blog.restore(post.id, 1));
    const withCover = ok(await editor.blog.uploadCover(post.id, PNG, "image/png"));
    ok(await editor.blog.publish(post.id));
    ok(await editor.blog.publish(other.id));
    ok(await anon.get(post.id));
    ok(await editor.blog.get(post.id)); // a writer's view carries the markdown
    ok(await anon.bySlug("site", post.slug));
    ok(await anon.list({ blog: "site" }));
    ok(await anon.related(post.id));
    ok(await reader.blog.view(post.id));
    const cover = await check.fetch(String(withCover.coverUrl).replace(/^https:\/\/arena\.example/, h.base));
    expect(cover.status).toBe(200);

    const top = ok(await reader.blog.comment(post.id, "first"));
    ok(await editor.blog.comment(post.id, "reply", top.id));
    ok(await reader.blog.editComment(post.id, top.id, "first, edited"));
    ok(await editor.blog.hideComment(post.id, top.id, true));
    ok(await anon.comments(post.id));
    ok(await reader.blog.deleteComment(post.id, top.id));

    ok(await owner.blog.addEditor(channelId, reader.id));
    ok(await owner.blog.editors(channelId));
    ok(await owner.blog.removeEditor(channelId, reader.id));
    ok(await admin.blog.rerender(false));

    ok(await editor.blog.removeCover(post.id));
    ok(await editor.blog.unpublish(other.id));
    ok(await editor.blog.remove(other.id));
    expect((await anon.get(other.id)).status).toBe(404);

    // Feeds go through node:http (conditional GETs): their media types are checked here.
    const feed = await check.fetch(`${h.base}/api/v1/blog/feeds/site/rss`);
    expect(feed.status).toBe(200);

    expect(check.violationsOf("blog.")).toEqual([]);
    // One feed route stands for the three (the same action behind three paths).
    expect(check.unanswered("blog.")).toEqual([
      "GET /api/v1/blog/feeds/{blog}/category/{category}/{format}",
      "GET /api/v1/blog/feeds/{blog}/tag/{tag}/{format}",
    ]);
  });
});
