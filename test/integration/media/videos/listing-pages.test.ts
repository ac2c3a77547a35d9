/**
 * GET /videos as cursor pages (videos.list): every sort pages through its
 * whole listing in one total order, ties on the sort key included; the
 * owner's listing carries drafts (no publishedAt) in place; the tag filter
 * finds matches however far down the sort they sit, in full pages;
 * a cursor of another sort or filter is a 400 on `cursor`.
 */
import type { AuthUser } from "../../../../lib/auth/auth-user";
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import type { VideoPage } from "../../../../services/media/videos/video-listing";
import type { VideoDoc } from "../../../../services/media/videos/video.types";
import { uniqueId } from "../../../helpers/infra";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
const owner: AuthUser = { id: uniqueId("owner"), username: "owner", roles: ["viewer", "creator"] };
const stranger: AuthUser = { id: uniqueId("stranger"), username: "stranger", roles: ["viewer"] };
const mixed = uniqueId("ch-mixed");
const catalogue = uniqueId("ch-cat");
const base = Date.parse("2026-01-01T00:00:00.000Z");
// A catalogue far longer than a page; the 3 oldest carry the rare tag.
const CATALOGUE = 2500;
let mixedDocs: VideoDoc[] = [];

function doc(
  channelId: string,
  title: string,
  over: Partial<Pick<VideoDoc, "status" | "visibility" | "tags" | "viewCount">> & {
    listedAt: Date;
    published: boolean;
  },
) {
  return {
    ...newVideoDoc({ channelId, ownerId: owner.id, title, tags: over.tags ?? ["mixed"], origin: "upload" }),
    status: over.status ?? "ready",
    visibility: over.visibility ?? "public",
    viewCount: over.viewCount ?? 0,
    publishedAt: over.published ? over.listedAt : null,
    listedAt: over.listedAt,
  };
}

beforeAll(async () => {
  h = await startVideos({ withCore: false, videoSettings: { processJobs: false } });
  // 30 published videos in groups of 3 sharing one listedAt (ties), view counts 0-3 (more ties),
  // 6 drafts and 3 private ones interleaved: only the owner's listing shows those 9.
  const docs = [
    ...Array.from({ length: 30 }, (_, i) =>
      doc(mixed, `pub ${i}`, {
        listedAt: new Date(base + Math.floor(i / 3) * 60_000),
        published: true,
        viewCount: i % 4,
      }),
    ),
    ...Array.from({ length: 6 }, (_, i) =>
      doc(mixed, `draft ${i}`, {
        listedAt: new Date(base + i * 120_000 + 1),
        published: false,
        status: "awaiting_upload",
      }),
    ),
    ...Array.from({ length: 3 }, (_, i) =>
      doc(mixed, `private ${i}`, { listedAt: new Date(base + i * 60_000), published: true, visibility: "private" }),
    ),
  ];
  mixedDocs = await h.videos.stores.videos.insertMany(docs);
  const cat = Array.from({ length: CATALOGUE }, (_, i) =>
    doc(catalogue, `clip ${i}`, {
      listedAt: new Date(base + i * 1000),
      published: true,
      tags: i < 3 ? ["speedrun", "rare"] : ["speedrun"],
    }),
  );
  for (let i = 0; i < cat.length; i += 500) await h.videos.stores.videos.insertMany(cat.slice(i, i + 500));
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

type Params = Record<string, string | number>;
const list = (params: Params, user?: AuthUser) =>
  h.broker.call("videos.list", params, { meta: user ? { user } : {} }) as Promise<VideoPage>;

/** Every page of a listing, following nextCursor; also the page sizes seen. */
async function pageAll(params: Params, user?: AuthUser): Promise<{ titles: string[]; sizes: number[] }> {
  const titles: string[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const page: VideoPage = await list({ ...params, ...(cursor ? { cursor } : {}) }, user);
    titles.push(...page.items.map((v) => v.title));
    sizes.push(page.items.length);
    cursor = page.nextCursor;
    expect(sizes.length).toBeLessThan(500);
  } while (cursor);
  return { titles, sizes };
}

/** The expected order, computed here from the stored rows (the id breaks every tie, ascending). */
function expected(docs: VideoDoc[], sort: "newest" | "oldest" | "popular"): string[] {
  const t = (d: VideoDoc) => d.listedAt.getTime();
  const byId = (a: VideoDoc, b: VideoDoc) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const compare = {
    newest: (a: VideoDoc, b: VideoDoc) => t(b) - t(a) || byId(a, b),
    oldest: (a: VideoDoc, b: VideoDoc) => t(a) - t(b) || byId(a, b),
    popular: (a: VideoDoc, b: VideoDoc) => b.viewCount - a.viewCount || t(b) - t(a) || byId(a, b),
  }[sort];
  return [...docs].sort(compare).map((d) => d.title);
}

describe("videos.list cursor pages", () => {
  it.each(["newest", "oldest", "popular"] as const)("pages the public listing by %s, ties included", async (sort) => {
    const publicDocs = mixedDocs.filter((d) => d.status === "ready" && d.visibility === "public");
    const { titles, sizes } = await pageAll({ channelId: mixed, sort, limit: 4 }, stranger);
    expect(titles).toEqual(expected(publicDocs, sort));
    expect(sizes).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
  });

  it.each(["newest", "oldest", "popular"] as const)(
    "pages the owner's listing by %s, drafts in place",
    async (sort) => {
      const { titles } = await pageAll({ channelId: mixed, sort, limit: 7 }, owner);
      expect(titles).toEqual(expected(mixedDocs, sort));
      expect(titles.filter((t) => t.startsWith("draft"))).toHaveLength(6);
      expect(titles.filter((t) => t.startsWith("private"))).toHaveLength(3);
    },
  );

  it("keeps a page's next cursor valid when newer videos arrive meanwhile", async () => {
    const first = await list({ channelId: mixed, limit: 5 }, stranger);
    const late = await h.videos.stores.videos.insert(
      doc(mixed, "late", { listedAt: new Date(base + 3_600_000), published: true }),
    );
    try {
      const rest = await pageAll({ channelId: mixed, limit: 5, cursor: first.nextCursor ?? "" }, stranger);
      const publicDocs = mixedDocs.filter((d) => d.status === "ready" && d.visibility === "public");
      expect([...first.items.map((v) => v.title), ...rest.titles]).toEqual(expected(publicDocs, "newest"));
    } finally {
      await h.videos.stores.videos.removeById(late.id);
    }
  });

  it("refuses a cursor of another sort or filter, or a forged one, with a 400 on cursor", async () => {
    const newest = (await list({ channelId: mixed, limit: 2 })).nextCursor ?? "";
    const popular = (await list({ channelId: mixed, sort: "popular", limit: 2 })).nextCursor ?? "";
    expect(newest).not.toBe("");
    expect(popular).not.toBe("");
    const refused: object = {
      code: 400,
      type: "VALIDATION_ERROR",
      data: [expect.objectContaining({ field: "cursor" })],
    };
    const foreign: Params[] = [
      { channelId: mixed, sort: "oldest", cursor: newest },
      { channelId: mixed, sort: "popular", cursor: newest },
      { channelId: mixed, sort: "newest", cursor: popular },
      { channelId: catalogue, cursor: newest },
      { channelId: mixed, tag: "mixed", cursor: newest },
      { cursor: newest },
      { channelId: mixed, cursor: Buffer.from('["x",1]').toString("base64url") },
      { channelId: mixed, cursor: "%%%" },
    ];
    for (const params of foreign) await expect(list(params)).rejects.toMatchObject(refused);
    // The same listing takes it.
    expect((await list({ channelId: mixed, limit: 2, cursor: newest })).items).toHaveLength(2);
  });
});

describe("videos.list by tag", () => {
  it("finds the rarest tag at the far end of the sort in one full page", async () => {
    // Newest first, the rare ones are the oldest of 2,500: still the first page, and the last.
    expect(await list({ channelId: catalogue, tag: "Rare" })).toEqual({
      items: ["clip 2", "clip 1", "clip 0"].map((title) => expect.objectContaining({ title })),
      nextCursor: null,
    });
    const { titles, sizes } = await pageAll({ channelId: catalogue, tag: "rare", sort: "oldest", limit: 2 });
    expect(titles).toEqual(["clip 0", "clip 1", "clip 2"]);
    expect(sizes).toEqual([2, 1]);
    expect(await list({ channelId: catalogue, tag: "nope" })).toEqual({ items: [], nextCursor: null });
  });

  it("pages every match once, in order", async () => {
    const { titles, sizes } = await pageAll({ channelId: catalogue, tag: "speedrun", limit: 100 });
    expect(titles).toHaveLength(CATALOGUE);
    expect(new Set(titles).size).toBe(CATALOGUE);
    expect(titles[0]).toBe(`clip ${CATALOGUE - 1}`);
    expect(titles.slice(-2)).toEqual(["clip 1", "clip 0"]);
    expect(sizes.every((n) => n === 100)).toBe(true);
    const oldest = await list({ channelId: catalogue, tag: "speedrun", sort: "oldest", limit: 2 });
    const second = await list({
      channelId: catalogue,
      tag: "speedrun",
      sort: "oldest",
      limit: 2,
      cursor: oldest.nextCursor ?? "",
    });
    expect(second.items.map((v) => v.title)).toEqual(["clip 2", "clip 3"]);
  });

  it("pages a tag with ties and drafts in the owner's listing", async () => {
    const { titles } = await pageAll({ channelId: mixed, tag: "mixed", sort: "popular", limit: 4 }, owner);
    expect(titles).toEqual(expected(mixedDocs, "popular"));
  });
});
