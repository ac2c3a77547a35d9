/**
 * null in a post update's fields that always have a value is a 400 naming them, and the post is unchanged:
 * `body: null` reached the markdown renderer (a 500), `visibility`/`commentsClosed: null` the posts table's
 * NOT NULL ("posts: a required field is missing").
 */
import { ok } from "../../media/videos/helpers/videos-api";
import { createChannel, newBlogActor } from "./helpers/actors";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";

let h: BlogHarness;

beforeAll(async () => {
  h = await startBlog();
});

afterAll(async () => {
  await h?.stop();
});

it.each(["body", "visibility", "commentsClosed", "kind", "slug"])(
  "PATCH a post with %s: null is a 400 on that field and changes nothing",
  async (field) => {
    const owner = await newBlogActor(h.base, "nul");
    const channelId = await createChannel(owner);
    const post = ok(await owner.blog.create({ blog: channelId, title: "Kept", body: "kept *body*" }));
    const res = await owner.blog.update(post.id, { [field]: null });
    const error = (res.body as unknown as { error: { code: string; details: { field?: string }[] } }).error;
    expect({ status: res.status, code: error?.code, fields: error?.details.map((d) => d.field) }).toEqual({
      status: 400,
      code: "VALIDATION_ERROR",
      fields: [field],
    });
    const after = ok(await owner.blog.get(post.id));
    expect(after).toMatchObject({ title: "Kept", markdown: "kept *body*", slug: post.slug, revision: post.revision });
  },
);
