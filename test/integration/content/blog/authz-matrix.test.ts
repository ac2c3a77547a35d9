/**
 * Every mutating blog route, called by each kind of actor who must be
 * refused: anonymous (401), a reader, a site editor on a channel's blog, a
 * channel's owner, named editor or moderator on the site blog or another
 * channel's (403). The table says route, actor and status; state is read
 * back after every refused call and must not have moved.
 */
import { ok } from "../../media/videos/helpers/videos-api";
import type { ApiResponse } from "../../../helpers/api-client";
import { anonymousBlog, createChannel, newActorWithRole, newBlogActor, type BlogActor } from "./helpers/actors";
import type { BlogApi } from "./helpers/blog-api";
import { startBlog, type BlogHarness } from "./helpers/blog-harness";

type ActorName =
  "anonymous" | "reader" | "siteEditor" | "channelOwner" | "channelEditor" | "channelModerator" | "otherOwner";

let h: BlogHarness;
const actors = {} as Record<Exclude<ActorName, "anonymous">, BlogActor>;
const clients = {} as Record<ActorName, BlogApi>;
let channelId: string;
let otherChannelId: string;
let sitePost: string;
let channelPost: string;
let comment: string;
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

beforeAll(async () => {
  h = await startBlog();
  const [reader, siteEditor, channelOwner, channelEditor, channelModerator, otherOwner] = await Promise.all([
    newBlogActor(h.base, "rdr"),
    newActorWithRole(h.broker, h.base, "editor", "sed"),
    newBlogActor(h.base, "cho"),
    newBlogActor(h.base, "che"),
    newBlogActor(h.base, "chm"),
    newBlogActor(h.base, "oth"),
  ]);
  Object.assign(actors, { reader, siteEditor, channelOwner, channelEditor, channelModerator, otherOwner });
  channelId = await createChannel(channelOwner);
  otherChannelId = await createChannel(otherOwner);
  ok(await channelOwner.blog.addEditor(channelId, channelEditor.id));
  ok(await channelOwner.api.channels.addModerator(channelId, channelModerator.id));
  sitePost = ok(await siteEditor.blog.create({ blog: "site", title: "Site post", body: "site" })).id;
  ok(await siteEditor.blog.publish(sitePost));
  channelPost = ok(await channelOwner.blog.create({ blog: channelId, title: "Channel post", body: "channel" })).id;
  ok(await channelOwner.blog.publish(channelPost));
  comment = ok(await actors.reader.blog.comment(channelPost, "a reader's comment")).id;
  clients.anonymous = anonymousBlog(h.base);
  for (const [name, actor] of Object.entries(actors)) clients[name as ActorName] = actor.blog;
});

afterAll(async () => {
  await h?.stop();
});

async function snapshot() {
  const posts = await h.blog.stores.posts.find({ sort: ["id"], limit: 100 });
  const comments = await h.blog.stores.comments.find({ sort: ["id"], limit: 100 });
  return {
    posts: posts.map((p) => [p.id, p.blogId, p.title, p.status, p.version, p.coverKey, p.commentsClosed]),
    comments: comments.map((c) => [c.id, c.body, c.status]),
    editors: await h.blog.stores.editors.count(),
    revisions: await h.blog.stores.revisions.count(),
    timers: await h.blog.stores.timers.count(),
  };
}

interface MatrixRow {
  route: string;
  call(api: BlogApi): Promise<ApiResponse<unknown>>;
  refused: Partial<Record<ActorName, number>>;
}

const writeRefusals = (blog: "site" | "channel"): Partial<Record<ActorName, number>> =>
  blog === "site"
    ? { anonymous: 401, reader: 403, channelOwner: 403, channelEditor: 403, channelModerator: 403 }
    : { anonymous: 401, reader: 403, siteEditor: 403, channelModerator: 403, otherOwner: 403 };

const ROWS: MatrixRow[] = [
  {
    route: "POST /blog/posts (site blog)",
    call: (api) => api.create({ blog: "site", title: "x", body: "y" }),
    refused: writeRefusals("site"),
  },
  {
    route: "POST /blog/posts (channel blog)",
    call: (api) => api.create({ blog: channelId, title: "x", body: "y" }),
    refused: writeRefusals("channel"),
  },
  {
    route: "POST /blog/posts (another channel's blog)",
    call: (api) => api.create({ blog: otherChannelId, title: "x", body: "y" }),
    refused: { channelOwner: 403, channelEditor: 403, siteEditor: 403 },
  },
  ...(["site", "channel"] as const).flatMap((blog): MatrixRow[] => {
    const id = (): string => (blog === "site" ? sitePost : channelPost);
    const refused = writeRefusals(blog);
    return [
      { route: `PATCH /blog/posts/:id (${blog})`, call: (api) => api.update(id(), { title: "hacked" }), refused },
      { route: `DELETE /blog/posts/:id (${blog})`, call: (api) => api.remove(id()), refused },
      {
        route: `POST /blog/posts/:id/publish at (${blog})`,
        call: (api) => api.publish(id(), "2099-01-01T00:00:00Z"),
        refused,
      },
      { route: `POST /blog/posts/:id/unpublish (${blog})`, call: (api) => api.unpublish(id()), refused },
      { route: `POST /blog/posts/:id/revisions/1/restore (${blog})`, call: (api) => api.restore(id(), 1), refused },
      { route: `PUT /blog/posts/:id/cover (${blog})`, call: (api) => api.uploadCover(id(), PNG, "image/png"), refused },
      { route: `DELETE /blog/posts/:id/cover (${blog})`, call: (api) => api.removeCover(id()), refused },
    ];
  }),
  {
    route: "POST /blog/channels/:id/editors",
    call: (api) => api.addEditor(channelId, actors.reader.id),
    refused: {
      anonymous: 401,
      reader: 403,
      siteEditor: 403,
      channelEditor: 403,
      channelModerator: 403,
      otherOwner: 403,
    },
  },
  {
    route: "DELETE /blog/channels/:id/editors/:userId",
    call: (api) => api.removeEditor(channelId, actors.channelEditor.id),
    refused: {
      anonymous: 401,
      reader: 403,
      siteEditor: 403,
      channelEditor: 403,
      channelModerator: 403,
      otherOwner: 403,
    },
  },
  {
    route: "POST /blog/posts/:id/comments",
    call: (api) => api.comment(channelPost, "hello"),
    refused: { anonymous: 401 },
  },
  {
    route: "PATCH /blog/posts/:id/comments/:id (someone else's)",
    call: (api) => api.editComment(channelPost, comment, "edited by another"),
    refused: {
      anonymous: 401,
      siteEditor: 403,
      channelOwner: 403,
      channelEditor: 403,
      channelModerator: 403,
      otherOwner: 403,
    },
  },
  {
    route: "DELETE /blog/posts/:id/comments/:id (someone else's)",
    call: (api) => api.deleteComment(channelPost, comment),
    refused: { anonymous: 401, siteEditor: 403, otherOwner: 403 },
  },
  {
    route: "POST /blog/posts/:id/comments/:id/hide",
    call: (api) => api.hideComment(channelPost, comment),
    refused: { anonymous: 401, reader: 403, siteEditor: 403, otherOwner: 403 },
  },
  {
    route: "POST /blog/rerender",
    call: (api) => api.rerender(true),
    refused: { anonymous: 401, reader: 403, siteEditor: 403, channelOwner: 403 },
  },
];

describe("authorization matrix over every mutating blog route (real gateway, real Postgres)", () => {
  const cases = ROWS.flatMap((row) =>
    Object.entries(row.refused).map(([actor, status]) => ({
      row,
      actor: actor as ActorName,
      status: status as number,
    })),
  );
  it.each(cases.map((c) => [c.row.route, c.actor, c.status, c] as const))(
    "%s as %s → %i, nothing changes",
    async (...args) => {
      const { row, actor, status } = args[3];
      const before = await snapshot();
      const res = await row.call(clients[actor]);
      expect({ status: res.status }).toEqual({ status });
      expect(await snapshot()).toEqual(before);
    },
  );

  it("drafts are not even visible to those who may not write them (404, not 403)", async () => {
    const draft = ok(await actors.channelOwner.blog.create({ blog: channelId, title: "Secret", body: "s" })).id;
    const before = await snapshot();
    for (const api of [clients.reader, clients.siteEditor, clients.otherOwner]) {
      expect((await api.get(draft)).status).toBe(404);
      expect((await api.update(draft, { title: "x" })).status).toBe(404);
      expect((await api.publish(draft)).status).toBe(404);
      expect((await api.comment(draft, "x")).status).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
    expect(ok(await clients.channelEditor.get(draft)).title).toBe("Secret");
  });

  it("the allowed actors' calls succeed", async () => {
    expect(ok(await clients.channelEditor.update(channelPost, { title: "Edited by the named editor" })).title).toBe(
      "Edited by the named editor",
    );
    expect(ok(await clients.siteEditor.update(sitePost, { title: "Edited by a site editor" })).version).toBeGreaterThan(
      1,
    );
    expect(ok(await clients.channelModerator.hideComment(channelPost, comment)).status).toBe("hidden");
    expect(ok(await clients.channelOwner.deleteComment(channelPost, comment)).status).toBe("removed");
    expect(ok(await clients.channelEditor.uploadCover(channelPost, PNG, "image/png")).coverUrl).toMatch(
      /^https:\/\/arena\.example\/api\/v1\/blog\/covers\/.+\.png$/,
    );
    expect(ok(await clients.otherOwner.create({ blog: otherChannelId, title: "Mine", body: "ok" })).blogId).toBe(
      otherChannelId,
    );
  });
});
