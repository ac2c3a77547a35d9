/**
 * A channel blog's draft is invisible (404, not 403) to everyone who may not write it: a reader, a site
 * editor, another channel's owner; its named editor reads it. The writes on drafts are the authorization
 * guard's (test/integration/authz/rows/blog.rows.ts); this is the read side, which the guard does not walk.
 */
import { ok } from "../../media/videos/helpers/videos-api";
import { anonymousBlog, createChannel, newActorWithRole, newBlogActor } from "./helpers/actors";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";

let h: BlogHarness;

beforeAll(async () => {
  h = await startBlog();
});

afterAll(async () => {
  await h?.stop();
});

it("a channel draft: 404 to a reader, a site editor, another channel's owner and anonymous; its editor reads it", async () => {
  const [reader, siteEditor, owner, editor, otherOwner] = await Promise.all([
    newBlogActor(h.base, "rdr"),
    newActorWithRole(h.broker, h.base, "editor", "sed"),
    newBlogActor(h.base, "cho"),
    newBlogActor(h.base, "che"),
    newBlogActor(h.base, "oth"),
  ]);
  const channelId = await createChannel(owner);
  await createChannel(otherOwner);
  ok(await owner.blog.addEditor(channelId, editor.id));
  const draft = ok(await owner.blog.create({ blog: channelId, title: "Secret", body: "s" })).id;
  for (const [who, api] of [
    ["reader", reader.blog],
    ["site editor", siteEditor.blog],
    ["other channel's owner", otherOwner.blog],
    ["anonymous", anonymousBlog(h.base)],
  ] as const) {
    expect({ who, status: (await api.get(draft)).status }).toEqual({ who, status: 404 });
  }
  expect(ok(await editor.blog.get(draft)).title).toBe("Secret");
  expect(ok(await owner.blog.get(draft)).title).toBe("Secret");
});
