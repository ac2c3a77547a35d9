import { cacheControlFor, contentTypeFor, resolveMediaFile } from "../../../../services/media/delivery/media-files";
import { appendGrantToPlaylist } from "../../../../services/media/delivery/playlist-rewrite";

describe("delivery: files and playlists", () => {
  it("maps media types and refuses anything else", () => {
    expect(contentTypeFor("/media/live/s/master.m3u8")).toBe("application/vnd.apple.mpegurl");
    expect(contentTypeFor("/media/live/s/source/seg_00001.ts")).toBe("video/mp2t");
    expect(contentTypeFor("/media/vod/v/init.m4s")).toBe("video/iso.segment");
    expect(contentTypeFor("/media/vod/v/source.mp4")).toBe("video/mp4");
    expect(contentTypeFor("/media/vod/v/thumb.jpg")).toBe("image/jpeg");
    expect(contentTypeFor("/media/secrets.json")).toBeUndefined();
  });

  it("keeps resolved paths inside the media root", () => {
    expect(resolveMediaFile("/data/media", ["live", "s1", "master.m3u8"])).toBe("/data/media/live/s1/master.m3u8");
    expect(resolveMediaFile("/data/media", ["live", "..", "..", "secrets"])).toBeNull();
    expect(resolveMediaFile("/data/media", ["live", ".hidden"])).toBeNull();
    expect(resolveMediaFile("/data/media", ["live", "a%2F..%2Fb"])).toBeNull();
    expect(resolveMediaFile("/data/media", [])).toBeNull();
  });

  it("caches segments until the grant expires and playlists barely", () => {
    expect(cacheControlFor("/media/live/s/source/index.m3u8", 2000, 1000)).toBe("private, max-age=1");
    expect(cacheControlFor("/media/live/s/source/seg_1.ts", 1100, 1000)).toBe("private, max-age=100");
    expect(cacheControlFor("/media/live/s/source/seg_1.ts", 900, 1000)).toBe("private, max-age=0");
  });

  it("carries the grant to every relative URI in a playlist", () => {
    const playlist = [
      "#EXTM3U",
      '#EXT-X-MAP:URI="init.mp4"',
      "#EXTINF:2.0,",
      "seg_00001.ts",
      "",
      "https://cdn.example/abs.ts",
      "sub/index.m3u8?x=1",
    ].join("\n");
    const rewritten = appendGrantToPlaylist(playlist, "p=%2Fmedia%2Flive%2Fs%2F&exp=9&sig=abc").split("\n");
    expect(rewritten[1]).toBe('#EXT-X-MAP:URI="init.mp4?p=%2Fmedia%2Flive%2Fs%2F&exp=9&sig=abc"');
    expect(rewritten[3]).toBe("seg_00001.ts?p=%2Fmedia%2Flive%2Fs%2F&exp=9&sig=abc");
    expect(rewritten[4]).toBe("");
    expect(rewritten[5]).toBe("https://cdn.example/abs.ts");
    expect(rewritten[6]).toBe("sub/index.m3u8?x=1&p=%2Fmedia%2Flive%2Fs%2F&exp=9&sig=abc");
  });
});
