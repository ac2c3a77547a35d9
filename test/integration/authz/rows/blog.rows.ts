/**
 * blog (issue #14): the site blog is written by site editors (the `editor`
 * role); a channel's blog by its owner and the editors the owner names
 * there, never by a site editor. Admins write everywhere. A draft is hidden
 * (404) from everyone who may not write it; a published post answers 403.
 * Comments belong to their author; the blog's writers and the channel's
 * moderators hide and remove them.
 */
import { ok } from "../../../helpers/api-client";
import type { GuardHarness } from "../guard-harness";
import { actorIndex, anyUser, everyone, only, read, type GuardRow } from "../route-guard";

/** A 1x1 PNG's first bytes: covers are typed by their magic bytes. */
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");

/** Every writer of the owner's channel blog, refused (403, or 404 on a draft) for everyone else. */
const channelWriters = (status: number, refused = 403) =>
  ({ ...only({ owner: status, admin: status }, refused), siteEditor: refused, channelEditor: status }) as const;
/** The site blog's writers: site editors and admins; a channel's owner and editors are readers there. */
const siteWriters = (status: number, refused = 403) =>
  ({ ...only({ admin: status }, refused), siteEditor: status, channelEditor: refused }) as const;

/** The post as an admin sees it (drafts included; 404 once deleted). */
const post = (h: GuardHarness, id: string) => () => read(h.users.admin.api, `/blog/posts/${id}`);

/** A post on a blog written by the owner (channel) or by an admin (site); published unless a draft is asked for. */
let posts = 0;

async function newPost(h: GuardHarness, blog: "channel" | "site", published = true): Promise<string> {
  const author = blog === "channel" ? h.users.owner.api : h.users.admin.api;
  const res = await author.request("POST", "/blog/posts", {
    blog: blog === "channel" ? h.channelId : "site",
    // A title per post: slugs come from titles, and a blog runs out of numbered ones.
    title: `Guard post ${++posts}`,
    body: "The first version.",
  });
  ok(res, 201);
  const id = (res.body as { id: string }).id;
  if (published) ok(await author.request("POST", `/blog/posts/${id}/publish`, {}));
  return id;
}

const comments = (h: GuardHarness, postId: string) => () =>
  read(h.users.admin.api, `/blog/posts/${postId}/comments?limit=100`);

/** A comment by the other user on a published post of the owner's channel blog. */
async function othersComment(h: GuardHarness): Promise<{ postId: string; id: string }> {
  const postId = await newPost(h, "channel");
  const res = await h.users.otherUser.api.request("POST", `/blog/posts/${postId}/comments`, { body: "a comment" });
  ok(res, 201);
  return { postId, id: (res.body as { id: string }).id };
}

/** A cover on the post, uploaded by the author of its blog's fixtures (the owner, or an admin on the site blog). */
async function withCover(h: GuardHarness, id: string, blog: "channel" | "site"): Promise<void> {
  const token = blog === "channel" ? h.users.owner.token : h.users.admin.token;
  const cover = await fetch(`${h.base}/api/v1/blog/posts/${id}/cover`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "image/png" },
    body: PNG,
  });
  if (cover.status !== 200) throw new Error(`cover upload: HTTP ${cover.status} ${await cover.text()}`);
}

/** The routes that change a post, on a published post of the site blog: its writers only, 403 to everyone else. */
const sitePostRows: GuardRow[] = [
  {
    route: "PATCH /blog/posts/:id",
    note: "a published site post: a channel's owner or editor is a reader there",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      return { params: { id }, bodyFor: (a) => ({ title: `Renamed ${actorIndex(a)}` }), state: post(h, id) };
    },
  },
  {
    route: "DELETE /blog/posts/:id",
    note: "a published site post",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      return { params: { id }, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/publish",
    note: "a published site post scheduled again: 409 to its writers (unpublish first), 403 to everyone else",
    expect: siteWriters(409),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      return { params: { id }, body: { at: "2099-01-01T00:00:00Z" }, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/unpublish",
    note: "a published site post",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      return { params: { id }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/revisions/:revision/restore",
    note: "a published site post, back to its first version",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      ok(await h.users.admin.api.request("PATCH", `/blog/posts/${id}`, { title: "Second version" }));
      return { params: { id, revision: "1" }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "PUT /blog/posts/:id/cover",
    note: "a published site post",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      return { params: { id }, raw: { contentType: "image/png", data: PNG }, state: post(h, id) };
    },
  },
  {
    route: "DELETE /blog/posts/:id/cover",
    note: "a published site post",
    expect: siteWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "site");
      await withCover(h, id, "site");
      return { params: { id }, state: post(h, id) };
    },
  },
];

const editors = (h: GuardHarness) => () => read(h.users.owner.api, `/blog/channels/${h.channelId}/editors`);

export const blogRows: GuardRow[] = [
  {
    route: "POST /blog/posts",
    note: "on the owner's channel blog: its owner, its named editors and an admin; not a site editor",
    expect: channelWriters(201),
    attempt: async (h) => ({
      bodyFor: (actor) => ({ blog: h.channelId, title: `Post ${actorIndex(actor)}`, body: "text" }),
      state: () => read(h.users.admin.api, `/blog/posts?blog=${h.channelId}&status=draft&limit=100`),
    }),
  },
  {
    route: "POST /blog/posts",
    note: "on the site blog: site editors and admins; not a channel's owner or editor",
    expect: siteWriters(201),
    attempt: async (h) => ({
      bodyFor: (actor) => ({ blog: "site", title: `Site post ${actorIndex(actor)}`, body: "text" }),
      state: () => read(h.users.admin.api, `/blog/posts?blog=site&status=draft&limit=100`),
    }),
  },
  {
    route: "POST /blog/posts",
    note: "on another channel's blog: not this channel's owner or editor, not its moderator, not a site editor",
    expect: { ...only({ admin: 201 }), siteEditor: 403, channelEditor: 403 },
    attempt: async (h) => ({
      bodyFor: (actor) => ({ blog: h.otherChannelId, title: `Elsewhere ${actorIndex(actor)}`, body: "text" }),
      state: () => read(h.users.admin.api, `/blog/posts?blog=${h.otherChannelId}&status=draft&limit=100`),
    }),
  },
  {
    route: "PATCH /blog/posts/:id",
    note: "a channel draft: hidden (404) from everyone but its writers",
    expect: channelWriters(200, 404),
    attempt: async (h) => {
      const id = await newPost(h, "channel", false);
      return { params: { id }, bodyFor: (a) => ({ title: `Renamed ${actorIndex(a)}` }), state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/publish",
    note: "a published channel post scheduled again: 409 to its writers (unpublish first), 403 to everyone else",
    expect: channelWriters(409),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, body: { at: "2099-01-01T00:00:00Z" }, state: post(h, id) };
    },
  },
  ...sitePostRows,
  {
    route: "PATCH /blog/posts/:id",
    note: "a published channel post",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, bodyFor: (a) => ({ title: `Renamed ${actorIndex(a)}` }), state: post(h, id) };
    },
  },
  {
    route: "PATCH /blog/posts/:id",
    note: "a site draft: hidden (404) from everyone but the site's writers",
    expect: siteWriters(200, 404),
    attempt: async (h) => {
      const id = await newPost(h, "site", false);
      return { params: { id }, bodyFor: (a) => ({ title: `Renamed ${actorIndex(a)}` }), state: post(h, id) };
    },
  },
  {
    route: "DELETE /blog/posts/:id",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/publish",
    note: "a channel draft: hidden (404) from everyone but its writers",
    expect: channelWriters(200, 404),
    attempt: async (h) => {
      const id = await newPost(h, "channel", false);
      return { params: { id }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/unpublish",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/revisions/:revision/restore",
    note: "back to the first version of an edited post",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      ok(await h.users.owner.api.request("PATCH", `/blog/posts/${id}`, { title: "Second version" }));
      return { params: { id, revision: "1" }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/posts/:id/views",
    note: "a published post: any reader counts once, signed in or not",
    expect: everyone(200),
    invisible: "published reads come from the blog's read cache, which a counted view does not drop (TTL-bound)",
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, body: {}, state: post(h, id) };
    },
  },
  {
    route: "PUT /blog/posts/:id/cover",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      return { params: { id }, raw: { contentType: "image/png", data: PNG }, state: post(h, id) };
    },
  },
  {
    route: "DELETE /blog/posts/:id/cover",
    expect: channelWriters(200),
    attempt: async (h) => {
      const id = await newPost(h, "channel");
      await withCover(h, id, "channel");
      return { params: { id }, state: post(h, id) };
    },
  },
  {
    route: "POST /blog/channels/:channelId/editors",
    note: "the channel's owner (or an admin) names its editors; an editor names no one",
    expect: { ...only({ owner: 200, admin: 200 }), siteEditor: 403, channelEditor: 403 },
    attempt: async (h) => {
      const userId = await h.newTarget("bed");
      return { params: { channelId: h.channelId }, body: { userId }, state: editors(h) };
    },
  },
  {
    route: "DELETE /blog/channels/:channelId/editors/:userId",
    expect: { ...only({ owner: 200, admin: 200 }), siteEditor: 403, channelEditor: 403 },
    attempt: async (h) => {
      const userId = await h.newTarget("bed");
      ok(await h.users.owner.api.request("POST", `/blog/channels/${h.channelId}/editors`, { userId }));
      return { params: { channelId: h.channelId, userId }, state: editors(h) };
    },
  },
  {
    route: "POST /blog/posts/:postId/comments",
    note: "a published post: any signed-in reader comments",
    expect: { ...anyUser(201), siteEditor: 201, channelEditor: 201 },
    attempt: async (h) => {
      const postId = await newPost(h, "channel");
      return { params: { postId }, body: { body: "a comment" }, state: comments(h, postId) };
    },
  },
  {
    route: "POST /blog/posts/:postId/comments",
    note: "a channel draft: nobody comments on it, its writers included (404)",
    expect: { ...anyUser(404), siteEditor: 404, channelEditor: 404 },
    attempt: async (h) => {
      const postId = await newPost(h, "channel", false);
      return { params: { postId }, body: { body: "a comment" }, state: comments(h, postId) };
    },
  },
  {
    route: "PATCH /blog/posts/:postId/comments/:id",
    note: "the other user's comment: its author alone edits it",
    expect: { ...only({ otherUser: 200 }), siteEditor: 403, channelEditor: 403 },
    attempt: async (h) => {
      const { postId, id } = await othersComment(h);
      return { params: { postId, id }, body: { body: "edited" }, state: comments(h, postId) };
    },
  },
  {
    route: "DELETE /blog/posts/:postId/comments/:id",
    note: "the other user's comment: its author, the blog's writers and the channel's moderators remove it",
    expect: {
      ...only({ otherUser: 200, moderator: 200, owner: 200, admin: 200 }),
      siteEditor: 403,
      channelEditor: 200,
    },
    attempt: async (h) => {
      const { postId, id } = await othersComment(h);
      return { params: { postId, id }, state: comments(h, postId) };
    },
  },
  {
    route: "POST /blog/posts/:postId/comments/:id/hide",
    note: "the blog's writers and the channel's moderators; not the author",
    expect: { ...only({ moderator: 200, owner: 200, admin: 200 }), siteEditor: 403, channelEditor: 200 },
    attempt: async (h) => {
      const { postId, id } = await othersComment(h);
      return { params: { postId, id }, body: { hidden: true }, state: comments(h, postId) };
    },
  },
  {
    route: "POST /blog/rerender",
    note: "admins only",
    expect: { ...only({ admin: 200 }), siteEditor: 403, channelEditor: 403 },
    invisible: "re-rendering with the current sanitizer gives the same HTML",
    attempt: async (h) => ({ body: { all: true }, state: () => read(h.users.admin.api, "/blog/posts?limit=100") }),
  },
];
