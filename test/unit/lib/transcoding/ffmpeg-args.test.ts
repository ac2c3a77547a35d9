import { TEST_LADDER, DEFAULT_LADDER } from "../../../../lib/media/hls-ladder";
import { hlsLadderArgs, planRenditions } from "../../../../lib/transcoding/ffmpeg-args";
import { parseProbe, parseRate } from "../../../../lib/transcoding/probe";

describe("planRenditions", () => {
  it("never upscales and keeps the source aspect ratio with even widths", () => {
    expect(planRenditions(DEFAULT_LADDER, { width: 1280, height: 720 }).map((r) => `${r.width}x${r.height}`)).toEqual([
      "1280x720",
      "854x480",
      "640x360",
    ]);
    expect(planRenditions(DEFAULT_LADDER, { width: 640, height: 480 }).map((r) => r.name)).toEqual(["480p", "360p"]);
  });
  it("gives a source smaller than every rung one rendition at its own height", () => {
    expect(planRenditions(TEST_LADDER, { width: 160, height: 91 }).map((r) => [r.name, r.width, r.height])).toEqual([
      ["90p", 158, 90],
    ]);
  });
});

describe("hlsLadderArgs", () => {
  it("maps audio only when the source has some, and names variants after the ladder", () => {
    const renditions = planRenditions(TEST_LADDER, { width: 320, height: 240 });
    const withAudio = hlsLadderArgs({ input: "in", outputDir: "out", renditions, hasAudio: true, fps: 15 });
    expect(withAudio[withAudio.indexOf("-var_stream_map") + 1]).toBe("v:0,a:0,name:240p v:1,a:1,name:144p");
    expect(withAudio[withAudio.indexOf("-g") + 1]).toBe("30");
    const silent = hlsLadderArgs({ input: "in", outputDir: "out", renditions, hasAudio: false });
    expect(silent).not.toContain("0:a:0");
    expect(silent[silent.indexOf("-var_stream_map") + 1]).toBe("v:0,name:240p v:1,name:144p");
  });
});

describe("probe parsing", () => {
  it("reads durations, sizes and frame rates, tolerating junk", () => {
    expect(parseRate("30000/1001")).toBeCloseTo(29.97, 2);
    expect(parseRate("0/0")).toBe(0);
    expect(parseRate(undefined)).toBe(0);
    const probe = parseProbe({
      format: { format_name: "mov,mp4", duration: "2.5" },
      streams: [{ codec_type: "video", width: 320, height: 240, avg_frame_rate: "15/1" }],
    });
    expect(probe).toMatchObject({ durationS: 2.5, hasVideo: true, hasAudio: false, width: 320, height: 240, fps: 15 });
  });
});
