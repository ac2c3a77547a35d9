/**
 * Threaded comments on a published VOD: sanitized text, the channel's chat
 * blocked terms, rate limits, author edit/delete, removal by the channel
 * owner and its moderators, and comment.created for notifications.
 */
import { readFileSync } from "node:fs";
import type { ServiceSchema } from "moleculer";
import { RedisRateLimitStore } from "../../../../lib/rate-limit";
import { durableHandler } from "../../../../mixins/durable-events";
import { createTempDir, REDIS_URL, waitFor, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { publishClip } from "./helpers/publish";
import { anonymous, createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

const events: Array<Record<string, unknown>> = [];
const recorder: ServiceSchema = {
  name: "commentRecorder",
  channels: durableHandler("comment.created", {
    group: "comment-recorder",
    async handler(envelope) {
      events.push(envelope.payload as unknown as Record<string, unknown>);
    },
  }),
};

let h: VideosHarness;
let work: TempDir;
let owner: Actor;
let moderator: Actor;
let alice: Actor;
let bob: Actor;
let channelId: string;
let videoId: string;

beforeAll(async () => {
  work = createTempDir("arena-comments-");
  const clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  // REDIS_URL: the per-author comment counters are the shared Redis ones, as on a cluster.
  h = await startVideos({
    env: { REDIS_URL },
    videoSettings: { commentRateLimit: { max: 5, windowMs: 60_000 } },
    extraServices: [recorder],
  });
  [owner, moderator, alice, bob] = await Promise.all(["own", "mod", "ali", "bob"].map((p) => newActor(h.base, p)));
  channelId = await createChannel(owner);
  ok(await owner.api.channels.addModerator(channelId, moderator.id));
  videoId = (await publishClip(owner, channelId, clip)).id;
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("comments", () => {
  it("threads replies, sanitizes text and announces comment.created", async () => {
    const top = ok(
      await alice.videos.comment(videoId, '<b>great</b> clip <script>alert(1)</script><img src=x onerror="x()"> 1 < 2'),
    );
    expect(top).toMatchObject({
      body: "great clip  1 < 2",
      depth: 0,
      parentId: null,
      authorId: alice.id,
      status: "visible",
    });
    const reply = ok(await bob.videos.comment(videoId, "agreed", top.id));
    expect(reply).toMatchObject({ parentId: top.id, rootId: top.id, depth: 1 });
    const nested = ok(await alice.videos.comment(videoId, "thanks", reply.id));
    expect(nested).toMatchObject({ parentId: reply.id, rootId: top.id, depth: 2 });

    const tops = ok(await anonymous(h.base).videos.comments(videoId));
    expect(tops.items.map((c) => [c.id, c.replyCount])).toEqual([[top.id, 1]]);
    const thread = ok(await anonymous(h.base).videos.comments(videoId, { rootId: top.id }));
    expect(thread.items.map((c) => c.id)).toEqual([reply.id, nested.id]);
    expect(ok(await anonymous(h.base).videos.get(videoId)).commentCount).toBe(3);

    await waitFor(() => events.some((e) => e.commentId === nested.id), { what: "comment.created" });
    expect(events.find((e) => e.commentId === reply.id)).toMatchObject({
      videoId,
      channelId,
      videoOwnerId: owner.id,
      authorId: bob.id,
      parentId: top.id,
      parentAuthorId: alice.id,
      body: "agreed",
    });
  });

  it("never stores markup, even entity-encoded, and renders stored text sanitized", async () => {
    const frank = await newActor(h.base, "fra");
    const sneaky = ok(
      await frank.videos.comment(
        videoId,
        "&lt;script&gt;alert(1)&lt;/script&gt;nice &lt;img src=x onerror=alert(1)&gt;",
      ),
    );
    expect(sneaky.body).toBe("nice");
    expect((await h.videos.stores.comments.findById(sneaky.id))?.body).toBe("nice");
    // A row written before this rule (or by hand) is still rendered as plain text.
    await h.videos.stores.comments.updateById(sneaky.id, { body: "<b>old</b><script>x()</script> row" });
    const listed = ok(await anonymous(h.base).videos.comments(videoId));
    expect(listed.items.find((c) => c.id === sneaky.id)?.body).toBe("old row");
  });

  it("a created video and comment answer 201 with the Location of what was created", async () => {
    const created = await owner.videos.create({ channelId, title: "Located" });
    const video = ok(created, [201]);
    expect(created.headers.get("location")).toBe(`/api/v1/videos/${video.id}`);
    const read = await owner.api.request<{ id: string }>("GET", created.headers.get("location")!.slice(7));
    expect(read.body.id).toBe(video.id);

    const ivan = await newActor(h.base, "ivn");
    const commented = await ivan.videos.comment(videoId, "located");
    const comment = ok(commented, [201]);
    expect(commented.headers.get("location")).toBe(`/api/v1/videos/${videoId}/comments/${comment.id}`);
  });

  it("keeps video titles and descriptions plain text", async () => {
    const video = ok(
      await owner.videos.create({
        channelId,
        title: "<b>Clutch</b> &lt;script&gt;x()&lt;/script&gt;",
        description: "<img src=x onerror=alert(1)>gg <i>wp</i>",
        category: "<b>fps</b>",
        tags: ["<img src=x onerror=y()>", "<i>Aim</i>"],
      }),
      [201, 200],
    );
    expect(video).toMatchObject({ title: "Clutch", description: "gg wp", category: "fps", tags: ["aim"] });
    expect((await owner.videos.create({ channelId, title: "<script>x()</script>" })).status).toBe(400);
    const updated = ok(
      await owner.videos.update(video.id, { title: "New <u>title</u>", description: "&lt;iframe src=//evil&gt;" }),
    );
    expect(updated).toMatchObject({ title: "New title", description: "" });
    expect((await owner.videos.update(video.id, { title: "<p> </p>" })).status).toBe(400);
  });

  it("caps thread depth and pages top-level comments and threads without gaps or repeats", async () => {
    const gina = await newActor(h.base, "gin");
    const hugo = await newActor(h.base, "hug");
    const root = ok(await gina.videos.comment(videoId, "depth 0"));
    const d1 = ok(await hugo.videos.comment(videoId, "depth 1", root.id));
    const d2 = ok(await gina.videos.comment(videoId, "depth 2", d1.id));
    const d3 = ok(await hugo.videos.comment(videoId, "depth 3", d2.id));
    const deeper = ok(await gina.videos.comment(videoId, "would be depth 4", d3.id));
    expect(deeper).toMatchObject({ depth: 3, parentId: d2.id, rootId: root.id });

    const anon = anonymous(h.base).videos;
    const thread = ok(await anon.comments(videoId, { rootId: root.id, limit: 100 }));
    // The thread oldest first, whatever the depth.
    expect(thread.items.map((c) => c.id)).toEqual([d1.id, d2.id, d3.id, deeper.id]);
    expect(thread.nextCursor).toBeNull();
    const first = ok(await anon.comments(videoId, { rootId: root.id, limit: 3 }));
    expect(first.nextCursor).not.toBeNull();
    const second = ok(await anon.comments(videoId, { rootId: root.id, limit: 3, cursor: first.nextCursor as string }));
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(thread.items.map((c) => c.id));

    const all = ok(await anon.comments(videoId, { limit: 100 }));
    expect(all.items.every((c) => c.depth === 0)).toBe(true);
    // Pages of two, cursor after cursor: every top-level comment exactly once, in the same order.
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = ok(
        await anon.comments(videoId, cursor ? { limit: 2, cursor } : { limit: 2 }),
      );
      pages.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items.map((c) => c.id));
    // A cursor that was not ours is the client's mistake.
    expect((await anon.comments(videoId, { cursor: "bm90LWEtY3Vyc29y" })).status).toBe(400);
  });

  it("refuses anonymous, empty, unknown-parent and blocked-term comments", async () => {
    expect((await anonymous(h.base).videos.comment(videoId, "hi")).status).toBe(401);
    expect((await alice.videos.comment(videoId, "<p> </p>")).status).toBe(400);
    expect((await alice.videos.comment(videoId, "x", "no-such-comment")).status).toBe(404);
    const blocked = await owner.api.request("POST", `/channels/${channelId}/chat/moderation`, {
      command: { action: "blockTerm", term: "noob" },
    });
    expect(blocked.status).toBe(200);
    const refused = await bob.videos.comment(videoId, "what a N00B");
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("blocked-term");
  });

  it("lets only the author edit, and the author, owner and moderators delete", async () => {
    const mine = ok(await bob.videos.comment(videoId, "first take"));
    expect((await alice.videos.editComment(videoId, mine.id, "hijacked")).status).toBe(403);
    expect((await owner.videos.editComment(videoId, mine.id, "hijacked")).status).toBe(403);
    const edited = ok(await bob.videos.editComment(videoId, mine.id, "<i>second</i> take"));
    expect(edited).toMatchObject({ body: "second take", edited: true });

    expect((await alice.videos.deleteComment(videoId, mine.id)).status).toBe(403);
    const removedByMod = ok(await moderator.videos.deleteComment(videoId, mine.id));
    expect(removedByMod).toMatchObject({ status: "removed", body: "", authorId: null });

    const byAlice = ok(await alice.videos.comment(videoId, "to be deleted"));
    expect(ok(await alice.videos.deleteComment(videoId, byAlice.id)).status).toBe("deleted");
    const byAlice2 = ok(await alice.videos.comment(videoId, "owner removes this"));
    expect(ok(await owner.videos.deleteComment(videoId, byAlice2.id)).status).toBe("removed");
    expect((await bob.videos.editComment(videoId, byAlice2.id, "x")).status).toBe(403);
    // A comment id under another video is not found there.
    expect((await alice.videos.deleteComment("other-video", byAlice2.id)).status).toBe(404);
  });

  it("rate limits each author", async () => {
    const carol = await newActor(h.base, "car");
    for (let i = 0; i < 5; i += 1) ok(await carol.videos.comment(videoId, `spam ${i}`));
    const limited = await carol.videos.comment(videoId, "one more");
    expect(limited.status).toBe(429);
    // The wait travels as Retry-After (a hint, not a detail of the error body).
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Other authors are not affected.
    ok(await alice.videos.comment(videoId, "still fine"));
  });

  it("holds the rate limit when one author posts many comments at once", async () => {
    // The shared Redis counter, as every videos node of a cluster would use.
    expect(h.videos.commentLimits).toBeInstanceOf(RedisRateLimitStore);
    const dave = await newActor(h.base, "dav");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => dave.videos.comment(videoId, `burst ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(statuses.filter((s) => s < 300)).toHaveLength(5);
    const stored = await h.videos.stores.comments.count({ authorId: dave.id });
    expect(stored).toBe(5);
  });

  it("does not spend the allowance on refused comments", async () => {
    const erin = await newActor(h.base, "eri");
    for (let i = 0; i < 6; i += 1) expect((await erin.videos.comment(videoId, "<p> </p>")).status).toBe(400);
    ok(await erin.videos.comment(videoId, "a real comment"));
  });
});
