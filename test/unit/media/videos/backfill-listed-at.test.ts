/**
 * The MongoDB boot fill of `listedAt` (video-listing.ts; PostgreSQL did it in
 * migration 003). No MongoDB runs here: the store is an in-memory stand-in
 * with the EntityStore semantics the fill uses (find by null, conditional
 * updateMany), so this checks the fill's own rule, not MongoDB.
 */
import type { VideosStores } from "../../../../services/media/videos/videos.context";
import { backfillListedAt } from "../../../../services/media/videos/video-listing";

interface StoredVideo {
  id: string;
  createdAt: Date;
  publishedAt: Date | null;
  listedAt: Date | null;
}

function memoryVideos(videos: StoredVideo[], beforeUpdate?: (v: StoredVideo) => void) {
  const matches = (v: StoredVideo, q: Record<string, unknown>) =>
    Object.entries(q).every(([k, want]) => (v as unknown as Record<string, unknown>)[k] === want);
  return {
    async find({ query, limit }: { query: Record<string, unknown>; limit: number }) {
      return videos.filter((v) => matches(v, query)).slice(0, limit);
    },
    async updateMany(query: Record<string, unknown>, patch: Partial<StoredVideo>) {
      const hit = videos.filter((v) => {
        beforeUpdate?.(v);
        return matches(v, query);
      });
      hit.forEach((v) => Object.assign(v, patch));
      return hit.length;
    },
  } as unknown as VideosStores["videos"];
}

describe("backfillListedAt (MongoDB boot fill, in-memory store stand-in)", () => {
  const created = new Date("2026-01-01T00:00:00Z");
  const published = new Date("2026-02-01T00:00:00Z");

  it("sets publish time for published videos and creation time for drafts, and counts them", async () => {
    const videos: StoredVideo[] = [
      { id: "a", createdAt: created, publishedAt: published, listedAt: null },
      { id: "b", createdAt: created, publishedAt: null, listedAt: null },
      { id: "c", createdAt: created, publishedAt: null, listedAt: created },
    ];
    expect(await backfillListedAt(memoryVideos(videos))).toBe(2);
    expect(videos.map((v) => v.listedAt)).toEqual([published, created, created]);
  });

  it("leaves a listedAt that a publish wrote while the fill ran", async () => {
    const late = new Date("2026-03-01T00:00:00Z");
    const videos: StoredVideo[] = [{ id: "a", createdAt: created, publishedAt: null, listedAt: null }];
    // The publish lands between the fill's read and its write.
    const publish = (v: StoredVideo) => {
      if (v.id === "a" && v.listedAt === null) Object.assign(v, { publishedAt: late, listedAt: late });
    };
    expect(await backfillListedAt(memoryVideos(videos, publish))).toBe(0);
    expect(videos[0]?.listedAt).toBe(late);
  });
});
