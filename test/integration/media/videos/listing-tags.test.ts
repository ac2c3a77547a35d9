/**
 * The tag filter over a catalogue larger than one store read: every
 * matching video is found and counted, whatever its position in the sort,
 * and paging over the matches is stable.
 */
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import { uniqueId } from "../../../helpers/infra";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
const channelId = uniqueId("ch");

beforeAll(async () => {
  h = await startVideos({ withCore: false, videoSettings: { processJobs: false } });
  const base = Date.parse("2026-01-01T00:00:00Z");
  // 1,200 published videos; the 3 oldest carry the rare tag, so a newest-first read of the first 1,000 misses them.
  const docs = Array.from({ length: 1200 }, (_, i) => ({
    ...newVideoDoc({
      channelId,
      ownerId: "owner-1",
      title: `clip ${i}`,
      tags: i < 3 ? ["speedrun", "rare"] : ["speedrun"],
      origin: "upload",
    }),
    status: "ready" as const,
    publishedAt: new Date(base + i * 1000),
  }));
  for (let i = 0; i < docs.length; i += 300) await h.videos.stores.videos.insertMany(docs.slice(i, i + 300));
});

afterAll(async () => {
  await h?.stop();
});

type Page = { items: Array<{ title: string }>; total: number };

describe("listing by tag", () => {
  it("finds matches past the first thousand candidates", async () => {
    const page = (await h.broker.call("videos.list", { channelId, tag: "Rare" })) as Page;
    expect(page.total).toBe(3);
    expect(page.items.map((v) => v.title)).toEqual(["clip 2", "clip 1", "clip 0"]);
  });

  it("counts and pages every match", async () => {
    const first = (await h.broker.call("videos.list", { channelId, tag: "speedrun", pageSize: 50 })) as Page;
    expect(first.total).toBe(1200);
    const last = (await h.broker.call("videos.list", { channelId, tag: "speedrun", pageSize: 50, page: 24 })) as Page;
    expect(last.items.map((v) => v.title).slice(-2)).toEqual(["clip 1", "clip 0"]);
    const oldest = (await h.broker.call("videos.list", {
      channelId,
      tag: "speedrun",
      sort: "oldest",
      pageSize: 2,
      page: 2,
    })) as Page;
    expect(oldest.items.map((v) => v.title)).toEqual(["clip 2", "clip 3"]);
  });
});
