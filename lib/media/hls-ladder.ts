/**
 * HLS renditions shared by live (services/media/streams) and VOD
 * (lib/transcoding). One definition so a player sees the same ladder for a
 * live stream and for its recording turned into a VOD.
 */
export interface Rendition {
  /** Folder and variant name in the master playlist, e.g. "720p". */
  name: string;
  /** Output height; width follows the source aspect ratio (even number). */
  height: number;
  /** Target video bitrate, kbit/s. */
  videoKbps: number;
  /** Target audio bitrate, kbit/s. */
  audioKbps: number;
}

/** The production ladder: 720p/480p/360p under the source copy. */
export const DEFAULT_LADDER: readonly Rendition[] = [
  { name: "720p", height: 720, videoKbps: 2800, audioKbps: 128 },
  { name: "480p", height: 480, videoKbps: 1400, audioKbps: 96 },
  { name: "360p", height: 360, videoKbps: 800, audioKbps: 96 },
];

/** A ladder small enough for CI machines with 2 shared cores. */
export const TEST_LADDER: readonly Rendition[] = [
  { name: "240p", height: 240, videoKbps: 300, audioKbps: 64 },
  { name: "144p", height: 144, videoKbps: 150, audioKbps: 48 },
];

/** Name of the pass-through (no re-encode) variant in live ladders. */
export const SOURCE_RENDITION_NAME = "source";

/**
 * Parses "720p:2800,480p:1400" (height p : video kbps, audio optional as
 * ":<audio>") so operators and tests can pick a ladder from configuration.
 * Throws on anything malformed: a bad ladder must fail at boot, not at go-live.
 */
export function parseLadder(spec: string): Rendition[] {
  const entries = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error("HLS ladder is empty");
  const seen = new Set<number>();
  return entries.map((entry) => {
    const match = /^(\d{2,4})p:(\d{2,5})(?::(\d{2,3}))?$/.exec(entry);
    if (!match) throw new Error(`Bad HLS ladder entry "${entry}": expected <height>p:<videoKbps>[:<audioKbps>]`);
    const height = Number(match[1]);
    if (height % 2 !== 0) throw new Error(`Bad HLS ladder entry "${entry}": height must be even`);
    if (seen.has(height)) throw new Error(`Duplicate HLS ladder height ${height}`);
    seen.add(height);
    return { name: `${height}p`, height, videoKbps: Number(match[2]), audioKbps: Number(match[3] ?? 96) };
  });
}

/**
 * Renditions worth producing for a source: never upscale, and skip a
 * rendition at the source's own height when the source copy is already
 * offered (it would only cost CPU). Highest first, as players expect.
 * An unknown source height (0) keeps the whole ladder.
 */
export function renditionsForSource(
  ladder: readonly Rendition[],
  sourceHeight: number,
  includesSourceCopy: boolean,
): Rendition[] {
  const sorted = [...ladder].sort((a, b) => b.height - a.height);
  if (!sourceHeight) return sorted;
  return sorted.filter((r) => (includesSourceCopy ? r.height < sourceHeight : r.height <= sourceHeight));
}

/** Width for a rendition keeping the source aspect ratio, rounded to even (x264 needs it). */
export function scaledWidth(sourceWidth: number, sourceHeight: number, height: number): number {
  if (!sourceWidth || !sourceHeight) return Math.round((height * 16) / 9 / 2) * 2;
  return Math.max(2, Math.round((sourceWidth * height) / sourceHeight / 2) * 2);
}

/** BANDWIDTH attribute for the master playlist, bits/s with container overhead. */
export function variantBandwidth(rendition: Pick<Rendition, "videoKbps" | "audioKbps">): number {
  return Math.round((rendition.videoKbps + rendition.audioKbps) * 1000 * 1.1);
}
