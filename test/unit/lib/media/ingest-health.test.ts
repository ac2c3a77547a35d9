import { IngestHealthMeter, readFlvTag } from "../../../../lib/media/ingest-health";
import { healthWarnings, sessionDurationS } from "../../../../services/media/streams/stream-sessions";

/** An FLV tag as node-media-server emits it: 11-byte header, body, previous-tag-size. */
function tag(type: number, timestampMs: number, body: number[]): Buffer {
  const buf = Buffer.alloc(11 + body.length + 4);
  buf[0] = type;
  buf.writeUIntBE(body.length, 1, 3);
  buf[4] = (timestampMs >> 16) & 0xff;
  buf[5] = (timestampMs >> 8) & 0xff;
  buf[6] = timestampMs & 0xff;
  buf[7] = (timestampMs >> 24) & 0xff;
  Buffer.from(body).copy(buf, 11);
  return buf;
}

describe("ingest health", () => {
  it("tells keyframe pictures from sequence headers and inter frames", () => {
    expect(readFlvTag(tag(9, 40, [0x17, 0x01, 0, 0, 0]))).toMatchObject({
      kind: "video",
      keyframe: true,
      timestampMs: 40,
    });
    expect(readFlvTag(tag(9, 0, [0x17, 0x00, 0, 0, 0])).keyframe).toBe(false);
    expect(readFlvTag(tag(9, 80, [0x27, 0x01, 0, 0, 0])).keyframe).toBe(false);
    // Enhanced RTMP: 0x80 | frame type 1 << 4 | packet type (1 = coded frames, 0 = sequence start).
    expect(readFlvTag(tag(9, 0, [0x91, 0, 0, 0])).keyframe).toBe(true);
    expect(readFlvTag(tag(9, 0, [0x90, 0, 0, 0])).keyframe).toBe(false);
    expect(readFlvTag(tag(8, 0x1000000 + 5, [0xaf, 0x01])).timestampMs).toBe(0x1000005);
    expect(readFlvTag(Buffer.from("FLV")).kind).toBe("other");
  });

  it("measures bitrate, fps and keyframe interval per window", () => {
    const meter = new IngestHealthMeter(0);
    meter.setResolution(1280, 720);
    for (let i = 0; i < 60; i++) {
      const keyframe = i % 30 === 0;
      meter.record(readFlvTag(tag(9, i * 33, [keyframe ? 0x17 : 0x27, 0x01, ...new Array(1000).fill(0)])));
    }
    meter.setDroppedFrames(4);
    const sample = meter.sample(2000);
    expect(sample.fps).toBe(30);
    expect(sample.keyframeIntervalS).toBeCloseTo(0.99, 2);
    expect(sample.bitrateKbps).toBeGreaterThan(230);
    expect(sample.bitrateKbps).toBeLessThan(250);
    expect(sample).toMatchObject({ droppedFrames: 4, width: 1280, height: 720 });
    // An empty window keeps the last keyframe interval but reports no traffic.
    const quiet = meter.sample(3000);
    expect(quiet).toMatchObject({ fps: 0, bitrateKbps: 0, keyframeIntervalS: 0.99 });
  });

  it("warns in the streamer's terms", () => {
    const base = {
      at: "",
      bitrateKbps: 3000,
      fps: 30,
      keyframeIntervalS: 2,
      droppedFrames: 0,
      width: 1280,
      height: 720,
    };
    expect(healthWarnings(base)).toEqual([]);
    expect(healthWarnings({ ...base, keyframeIntervalS: 10 })[0]).toMatch(/Keyframe interval/);
    expect(healthWarnings({ ...base, fps: 12, bitrateKbps: 50, droppedFrames: 3 })).toHaveLength(3);
    expect(healthWarnings(null)).toEqual([]);
    expect(sessionDurationS(new Date(1000), new Date(62_400))).toBe(61);
  });
});
