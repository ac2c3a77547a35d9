import {
  DEFAULT_LADDER,
  parseLadder,
  renditionsForSource,
  scaledWidth,
  variantBandwidth,
} from "../../../../lib/media/hls-ladder";
import { buildLiveHlsArgs, buildMasterPlaylist, liveVariants } from "../../../../lib/media/live-hls-args";

describe("HLS ladder", () => {
  it("parses operator ladders and refuses malformed ones", () => {
    expect(parseLadder("720p:2800, 480p:1400:64")).toEqual([
      { name: "720p", height: 720, videoKbps: 2800, audioKbps: 96 },
      { name: "480p", height: 480, videoKbps: 1400, audioKbps: 64 },
    ]);
    expect(() => parseLadder("")).toThrow(/empty/);
    expect(() => parseLadder("720:2800")).toThrow(/Bad HLS ladder entry/);
    expect(() => parseLadder("721p:2800")).toThrow(/even/);
    expect(() => parseLadder("720p:2800,720p:1000")).toThrow(/Duplicate/);
  });

  it("never upscales and skips the source height when the source copy is offered", () => {
    expect(renditionsForSource(DEFAULT_LADDER, 1080, true).map((r) => r.name)).toEqual(["720p", "480p", "360p"]);
    expect(renditionsForSource(DEFAULT_LADDER, 720, true).map((r) => r.name)).toEqual(["480p", "360p"]);
    expect(renditionsForSource(DEFAULT_LADDER, 720, false).map((r) => r.name)).toEqual(["720p", "480p", "360p"]);
    expect(renditionsForSource(DEFAULT_LADDER, 240, true)).toEqual([]);
    expect(renditionsForSource(DEFAULT_LADDER, 0, true)).toHaveLength(3);
  });

  it("keeps the aspect ratio with even widths", () => {
    expect(scaledWidth(1920, 1080, 720)).toBe(1280);
    expect(scaledWidth(640, 360, 144)).toBe(256);
    expect(scaledWidth(320, 180, 96) % 2).toBe(0);
    expect(scaledWidth(0, 0, 360)).toBe(640);
    expect(variantBandwidth({ videoKbps: 1000, audioKbps: 100 })).toBe(1210000);
  });
});

describe("live ffmpeg arguments", () => {
  const job = {
    outputDir: "/m/live/s1",
    recordingPath: "/m/recordings/s1/part-0001.ts",
    ladder: DEFAULT_LADDER,
    source: { width: 1280, height: 720, hasAudio: true },
    segmentSeconds: 2,
    playlistSize: 10,
    resume: false,
    preset: "ultrafast",
  };

  it("copies the source, scales the lower renditions, and records the untouched source", () => {
    const args = buildLiveHlsArgs(job);
    const joined = args.join(" ");
    expect(joined).toContain("-c:v:0 copy");
    expect(joined).toContain("[0:v]split=2[v0][v1]");
    expect(joined).toContain("scale=854:480");
    expect(joined).toContain("-var_stream_map v:0,a:0,name:source v:1,a:1,name:480p v:2,a:2,name:360p");
    expect(joined).not.toContain("append_list");
    expect(args.slice(-9)).toEqual([
      "-map",
      "0:v:0",
      "-map",
      "0:a:0",
      "-c",
      "copy",
      "-f",
      "mpegts",
      "/m/recordings/s1/part-0001.ts",
    ]);
  });

  it("continues playlists with a discontinuity on a reconnect, and handles sources without audio", () => {
    const joined = buildLiveHlsArgs({
      ...job,
      resume: true,
      source: { width: 1280, height: 720, hasAudio: false },
    }).join(" ");
    expect(joined).toContain("append_list+discont_start");
    expect(joined).toContain("-var_stream_map v:0,name:source v:1,name:480p v:2,name:360p");
    expect(joined).not.toContain("0:a:0");
  });

  it("writes a master playlist with every variant, source first", () => {
    const master = buildMasterPlaylist(liveVariants(job));
    const uris = master.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(uris).toEqual(["source/index.m3u8", "480p/index.m3u8", "360p/index.m3u8"]);
    expect(master).toContain("RESOLUTION=1280x720");
    const bandwidths = [...master.matchAll(/BANDWIDTH=(\d+)/g)].map((m) => Number(m[1]));
    expect(bandwidths[0]).toBeGreaterThan(bandwidths[1] as number);
  });
});
