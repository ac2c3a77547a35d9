/**
 * Stream health from what the broadcaster actually sends: ingest bitrate,
 * frame rate and keyframe interval measured on the incoming FLV tags (not on
 * our own transcoder output, which would hide a struggling encoder), plus
 * frames the packager had to drop.
 */
export interface IngestHealthSample {
  at: string;
  bitrateKbps: number;
  fps: number;
  /** Mean seconds between keyframes (last measured); 0 until two were seen. */
  keyframeIntervalS: number;
  /** Frames dropped by the packager since the publish began. */
  droppedFrames: number;
  width: number;
  height: number;
}

export interface FlvTagInfo {
  kind: "video" | "audio" | "script" | "other";
  keyframe: boolean;
  timestampMs: number;
  bytes: number;
}

/** Reads the header of one complete FLV tag (as node-media-server emits them). */
export function readFlvTag(tag: Buffer): FlvTagInfo {
  if (tag.length < 11) return { kind: "other", keyframe: false, timestampMs: 0, bytes: tag.length };
  const type = tag[0];
  const timestampMs = ((tag[7] ?? 0) << 24) | ((tag[4] ?? 0) << 16) | ((tag[5] ?? 0) << 8) | (tag[6] ?? 0);
  const kind = type === 9 ? "video" : type === 8 ? "audio" : type === 18 ? "script" : "other";
  return {
    kind,
    keyframe: kind === "video" && isKeyframePicture(tag),
    timestampMs: timestampMs >>> 0,
    bytes: tag.length,
  };
}

/**
 * Video tag body: frame type in bits 4..6 of the first byte (1 = keyframe).
 * Sequence headers carry the keyframe type too but are not pictures, so they
 * must not count as keyframes: legacy AVC/HEVC mark them with packet type 0
 * in the second byte, enhanced RTMP (bit 0x80) with packet type 0 in the low nibble.
 */
function isKeyframePicture(tag: Buffer): boolean {
  if (tag.length < 13) return false;
  const first = tag[11] as number;
  if (((first >> 4) & 0x7) !== 1) return false;
  if (first & 0x80) return (first & 0x0f) !== 0 && (first & 0x0f) !== 2;
  const codecId = first & 0x0f;
  if (codecId === 7 || codecId === 12) return tag[12] === 1;
  return true;
}

export class IngestHealthMeter {
  private windowStartMs: number;
  private bytes = 0;
  private videoFrames = 0;
  private keyframeTimestamps: number[] = [];
  private droppedFrames = 0;
  private width = 0;
  private height = 0;
  private lastKeyframeIntervalS = 0;

  constructor(nowMs: number) {
    this.windowStartMs = nowMs;
  }

  record(tag: FlvTagInfo): void {
    this.bytes += tag.bytes;
    if (tag.kind !== "video") return;
    this.videoFrames += 1;
    if (tag.keyframe) this.keyframeTimestamps.push(tag.timestampMs);
  }

  setDroppedFrames(count: number): void {
    this.droppedFrames = Math.max(this.droppedFrames, count);
  }

  setResolution(width: number, height: number): void {
    this.width = width;
    this.height = height;
  }

  /** Closes the current window and starts the next one. */
  sample(nowMs: number): IngestHealthSample {
    const elapsedS = Math.max((nowMs - this.windowStartMs) / 1000, 0.001);
    const keys = this.keyframeTimestamps;
    // A window shorter than the GOP may hold one keyframe: keep the last measure then.
    if (keys.length >= 2) {
      const first = keys[0] as number;
      const last = keys[keys.length - 1] as number;
      this.lastKeyframeIntervalS = Math.round(((last - first) / (keys.length - 1) / 1000) * 100) / 100;
    }
    const keyframeIntervalS = this.lastKeyframeIntervalS;
    const result: IngestHealthSample = {
      at: new Date(nowMs).toISOString(),
      bitrateKbps: Math.round((this.bytes * 8) / 1000 / elapsedS),
      fps: Math.round((this.videoFrames / elapsedS) * 10) / 10,
      keyframeIntervalS,
      droppedFrames: this.droppedFrames,
      width: this.width,
      height: this.height,
    };
    this.windowStartMs = nowMs;
    this.bytes = 0;
    this.videoFrames = 0;
    // Keep the last keyframe so the next window can measure across its start.
    this.keyframeTimestamps = keys.length > 0 ? [keys[keys.length - 1] as number] : [];
    return result;
  }
}
