/**
 * A post read by id learns its blog (the read cache's group) only once it is loaded, so an edit committed
 * while that read runs must keep the read's result out of the cache: else every reader on the node gets the
 * old post until the TTL (30 s), though the edit's invalidation already ran.
 */
import type { PostDoc } from "../../../../services/content/blog/post.types";
import { ok } from "../../media/videos/helpers/videos-api";
import { createChannel, newBlogActor } from "./helpers/actors";
import { blogForFile } from "./helpers/blog-harness";

const harness = blogForFile();

it("an edit that commits during a reader's uncached read by id is what the next reader sees", async () => {
  const h = harness();
  const [owner, reader] = await Promise.all([newBlogActor(h.base, "rco"), newBlogActor(h.base, "rcr")]);
  const channelId = await createChannel(owner);
  const post = ok(await owner.blog.create({ blog: channelId, title: "Before", body: "b" }));
  ok(await owner.blog.publish(post.id));

  const posts = h.blog.stores.posts;
  const findById = posts.findById.bind(posts);
  // The reader's read loads the post, then the owner's edit commits before the read answers.
  jest.spyOn(posts, "findById").mockImplementationOnce(async (id: string): Promise<PostDoc | null> => {
    const before = await findById(id);
    ok(await owner.blog.update(post.id, { title: "After" }));
    return before;
  });
  expect(ok(await reader.blog.get(post.id)).title).toBe("Before");
  expect(ok(await reader.blog.get(post.id)).title).toBe("After");
});
