import {
  buildClipArgs,
  keyframeProbeArgs,
  parseKeyframeTimes,
  planCut,
} from "../../../../services/media/clips/clip-cut";

describe("clip cut planning", () => {
  it("copies from the nearest keyframe within the tolerance, preferring the earlier on a tie", () => {
    expect(planCut([10, 12, 14], 12.4, 30, 1)).toEqual({ method: "copy", seekS: 12, durationS: 30 });
    expect(planCut([10, 12, 14], 13.6, 30, 1)).toEqual({ method: "copy", seekS: 14, durationS: 30 });
    expect(planCut([10, 12, 14], 13, 30, 1)).toEqual({ method: "copy", seekS: 12, durationS: 30 });
  });

  it("re-encodes from the exact start when no keyframe is close enough", () => {
    expect(planCut([0, 10], 4.2, 8, 1)).toEqual({ method: "reencode", seekS: 4.2, durationS: 8 });
    expect(planCut([], 4.2, 8, 1).method).toBe("reencode");
  });

  it("reads ffprobe keyframe lines, skipping N/A and duplicates", () => {
    expect(parseKeyframeTimes("1.400000,1.400000\nN/A,3.400000\n\n5.4\n1.4\n")).toEqual([1.4, 3.4, 5.4]);
  });

  it("builds seek-before-input commands relative to the input's first timestamp", () => {
    const copy = buildClipArgs("in.ts", { method: "copy", seekS: 11.4, durationS: 30 }, "out.mp4", "veryfast", 1.4);
    expect(copy.join(" ")).toContain("-ss 10.000 -i in.ts -t 30.000");
    expect(copy).toContain("copy");
    expect(copy).not.toContain("libx264");
    const encode = buildClipArgs("in.mp4", { method: "reencode", seekS: 4.2, durationS: 8 }, "out.mp4", "veryfast");
    expect(encode.join(" ")).toContain("-ss 4.200 -i in.mp4 -t 8.000");
    expect(encode).toContain("libx264");
    expect(keyframeProbeArgs("in.ts", -1, 3)).toContain("0.000%3.000");
  });
});
