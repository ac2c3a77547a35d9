/**
 * What an upload really is, from its first bytes: the declared Content-Type
 * and file name are the client's claim, the magic numbers are the file's.
 * Only video containers ffmpeg handles well are accepted.
 */
export type VideoContainer = "mp4" | "mov" | "webm" | "mkv" | "flv" | "ts" | "avi";

export interface SniffResult {
  container: VideoContainer;
  /** Canonical MIME type stored with the source. */
  mimeType: string;
  extension: string;
}

const MIME: Record<VideoContainer, string> = {
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
  mkv: "video/x-matroska",
  flv: "video/x-flv",
  ts: "video/mp2t",
  avi: "video/x-msvideo",
};

/** Declared types we accept at the door; anything else is refused before reading the body. */
export const ACCEPTED_UPLOAD_TYPES = [...Object.values(MIME), "video/x-m4v", "application/octet-stream"] as const;

/** Bytes needed to decide: ftyp box header, EBML header with DocType, 3 TS packets. */
export const SNIFF_BYTES = 4096;

export function sniffVideo(head: Buffer): SniffResult | null {
  const container = detect(head);
  return container ? { container, mimeType: MIME[container], extension: container } : null;
}

function detect(b: Buffer): VideoContainer | null {
  if (b.length >= 12 && b.toString("latin1", 4, 8) === "ftyp") {
    const brand = b.toString("latin1", 8, 12);
    return brand === "qt  " ? "mov" : "mp4";
  }
  // MP4s written for streaming may start with other top-level boxes.
  if (b.length >= 8 && ["moov", "mdat", "free", "wide"].includes(b.toString("latin1", 4, 8))) return "mp4";
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3) {
    // EBML: WebM and Matroska share the header; the DocType tells them apart.
    return b.subarray(0, Math.min(b.length, 64)).includes(Buffer.from("webm")) ? "webm" : "mkv";
  }
  if (b.length >= 3 && b.toString("latin1", 0, 3) === "FLV") return "flv";
  if (b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "AVI ") return "avi";
  if (b.length >= 376 && b[0] === 0x47 && b[188] === 0x47 && b[376] === 0x47) return "ts";
  return null;
}

/** Declared MIME type without parameters, lower-cased; undefined when absent. */
export function declaredType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type || undefined;
}

/**
 * A declared type must be a video type we take (or the generic
 * octet-stream browsers send for unknown files); the content decides the rest.
 */
export function isAcceptedDeclaredType(type: string | undefined): boolean {
  return type === undefined || (ACCEPTED_UPLOAD_TYPES as readonly string[]).includes(type);
}
