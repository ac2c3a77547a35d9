/**
 * How a frame handler refuses: one `error` frame to the sender, with the
 * protocol code a client can act on (a service error's stable type mapped
 * to one). Shared by every *-frames file, so none of them imports another.
 */
import type { FrameContext } from "./frame-context";
import type { ErrorCode } from "./protocol";
import type { Socket } from "./socket-data";

export function fail(
  gw: FrameContext,
  ws: Socket,
  code: ErrorCode,
  message: string,
  cid?: string,
  retryAfterMs?: number,
): void {
  gw.send(ws, { type: "error", cid, code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}

/** Maps a service error's stable type to a protocol code. */
export function codeOf(err: unknown, fallback: ErrorCode): ErrorCode {
  const type = (err as { type?: string }).type;
  if (type === "FORBIDDEN") return "FORBIDDEN";
  if (type === "NOT_FOUND") return "NOT_FOUND";
  if (type === "UNAUTHORIZED") return "UNAUTHENTICATED";
  if (type === "VALIDATION_ERROR") return "BAD_FRAME";
  return fallback;
}
