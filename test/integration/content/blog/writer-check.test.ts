/**
 * A signed-in reader of a channel blog's published post does not pay the writer check (an editor lookup and a
 * channels call) on every read: the blog's writers are memoized with its reads, and naming or removing an
 * editor drops the memo, so the writers' view (the markdown) follows the change at once.
 */
import { ok } from "../../media/videos/helpers/videos-api";
import { createChannel, newBlogActor } from "./helpers/actors";
import { blogForFile } from "./helpers/blog-harness";

const harness = blogForFile();

it("reads of a published channel post ask no writer check once the blog's writers are known; editor changes show at once", async () => {
  const h = harness();
  const [owner, editor, reader] = await Promise.all([
    newBlogActor(h.base, "wco"),
    newBlogActor(h.base, "wce"),
    newBlogActor(h.base, "wcr"),
  ]);
  const channelId = await createChannel(owner);
  ok(await owner.blog.addEditor(channelId, editor.id));
  const post = ok(await owner.blog.create({ blog: channelId, title: "Patch notes", body: "the **body**" }));
  ok(await owner.blog.publish(post.id));
  expect(ok(await reader.blog.get(post.id)).markdown).toBeUndefined();

  const editorLookups = jest.spyOn(h.blog.stores.editors, "findById");
  const editorFinds = jest.spyOn(h.blog.stores.editors, "find");
  const calls = jest.spyOn(h.broker, "call");
  for (let i = 0; i < 3; i++) {
    expect(ok(await reader.blog.get(post.id)).markdown).toBeUndefined();
    expect(ok(await reader.blog.bySlug(channelId, post.slug)).markdown).toBeUndefined();
    ok(await reader.blog.comments(post.id));
  }
  expect(ok(await editor.blog.get(post.id)).markdown).toBe("the **body**");
  expect(ok(await owner.blog.bySlug(channelId, post.slug)).markdown).toBe("the **body**");
  const channelCalls = calls.mock.calls.filter(([action]) => action === "channels.get").length;
  expect({
    editorLookups: editorLookups.mock.calls.length,
    editorFinds: editorFinds.mock.calls.length,
    channelCalls,
  }).toEqual({ editorLookups: 0, editorFinds: 0, channelCalls: 0 });
  jest.restoreAllMocks();

  // A page with a hidden comment still shows it to the blog's writers only.
  const comment = ok(await reader.blog.comment(post.id, "spoiler"));
  ok(await owner.blog.hideComment(post.id, comment.id));
  expect(ok(await reader.blog.comments(post.id)).items[0].body).toBe("");
  expect(ok(await editor.blog.comments(post.id)).items[0].body).toBe("spoiler");

  ok(await owner.blog.removeEditor(channelId, editor.id));
  ok(await owner.blog.addEditor(channelId, reader.id));
  expect(ok(await editor.blog.get(post.id)).markdown).toBeUndefined();
  expect(ok(await reader.blog.get(post.id)).markdown).toBe("the **body**");
  expect(ok(await reader.blog.bySlug(channelId, post.slug)).markdown).toBe("the **body**");
});
