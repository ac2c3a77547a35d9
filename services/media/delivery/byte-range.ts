/**
 * `Range: bytes=…` for one file (RFC 9110 §14). Players seeking in an MP4
 * recording, and many HLS players, send it. Only a single range is served:
 * a multi-range request is answered with the whole file (allowed by the RFC,
 * and no player needs multipart/byteranges for media).
 */
export type RangeResult =
  /** No Range header, another unit, several ranges or an unparsable header: send the whole file (200). */
  | { kind: "full" }
  /** Send bytes start..end inclusive (206). */
  | { kind: "partial"; start: number; end: number }
  /** Syntactically fine but outside the file (416, `Content-Range: bytes *\/size`). */
  | { kind: "unsatisfiable" };

const SINGLE_RANGE = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i;

export function parseByteRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined || header.length > 200) return { kind: "full" };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: "full" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "full" };
  if (first === "") {
    // Suffix range: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const lastByte = last === "" ? Number.MAX_SAFE_INTEGER : Number(last);
  // first > last is invalid syntax: the RFC says to ignore the header.
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(lastByte) || lastByte < start) return { kind: "full" };
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end: Math.min(lastByte, size - 1) };
}
