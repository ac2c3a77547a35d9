/**
 * Serves local media (`${dataDir}/media/**`) to anyone holding a valid
 * signed grant for it: the signature is the auth. Used for live HLS
 * (/media/live/…) and VOD (/media/vod/…) in embedded mode; production serves
 * the same paths from CloudFront with its own signatures.
 *
 * `answerMedia` decides the answer (grant, file, range, headers) without
 * touching HTTP: the gateway streams it straight from its request handler
 * when this node runs the delivery service (services/edge/api/media-direct.ts),
 * and the `delivery.serve` action turns it into a stream for any other caller.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { ActionContext } from "../../../lib/contracts";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import type { HttpResponseMeta } from "../../../lib/http/response-meta";
import { signMediaGrant, verifyMediaGrant } from "../../../lib/media/signed-url";
import { parseByteRange } from "./byte-range";
import type { DeliveryThis } from "./delivery.context";
import { cacheControlFor, contentTypeFor, resolveMediaFile } from "./media-files";
import { appendGrantToPlaylist } from "./playlist-rewrite";

/** What the gateway copies into ctx.meta for media routes (see services/edge/api/request-auth.ts). */
interface DeliveryMeta extends HttpResponseMeta {
  /** The request's `Range` header. */
  range?: string;
}

export interface MediaRequest {
  /** Path segments below /media. */
  segments: string[];
  grant: { p?: string; exp?: string; sig?: string };
  range?: string;
}

export interface MediaAnswer {
  status: 200 | 206 | 416;
  contentType: string;
  /** Cache-Control, Accept-Ranges, Content-Length, Content-Range. */
  headers: Record<string, string>;
  /** A rewritten playlist or an empty 416 body, or the bytes start..end (inclusive) of a file. */
  body: Buffer | { file: string; start?: number; end?: number };
}

/**
 * One media file after checking its signed grant (403 when unsigned, expired or for another path);
 * a single `Range: bytes=` gets 206 (416 when outside the file). Playlists are always sent whole.
 */
export async function answerMedia(
  svc: Pick<DeliveryThis, "mediaRoot" | "urlSecret">,
  req: MediaRequest,
): Promise<MediaAnswer> {
  const segments = req.segments.filter((s) => s !== "");
  const urlPath = `/media/${segments.join("/")}`;
  const grant = req.grant;
  const nowS = Math.floor(Date.now() / 1000);
  const check = verifyMediaGrant(urlPath, grant, svc.urlSecret, nowS);
  if (!check.ok) throw new ForbiddenError(`Media URL refused: ${check.reason}`);

  const file = resolveMediaFile(svc.mediaRoot, segments);
  const contentType = contentTypeFor(urlPath);
  if (!file || !contentType) throw new NotFoundError("Media file");
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new NotFoundError("Media file");

  const headers: Record<string, string> = { "Cache-Control": cacheControlFor(urlPath, Number(grant.exp), nowS) };
  if (urlPath.endsWith(".m3u8")) {
    // Re-sign with the same grant (not a fresh one): access never outlives what was granted.
    const query = signMediaGrant({ prefix: grant.p as string, expiresAt: Number(grant.exp) }, svc.urlSecret);
    const body = Buffer.from(appendGrantToPlaylist(await readFile(file, "utf8"), query), "utf8");
    headers["Content-Length"] = String(body.length);
    return { status: 200, contentType, headers, body };
  }
  headers["Accept-Ranges"] = "bytes";
  const range = parseByteRange(req.range, info.size);
  if (range.kind === "unsatisfiable") {
    headers["Content-Range"] = `bytes */${info.size}`;
    headers["Content-Length"] = "0";
    return { status: 416, contentType, headers, body: Buffer.alloc(0) };
  }
  if (range.kind === "partial") {
    headers["Content-Range"] = `bytes ${range.start}-${range.end}/${info.size}`;
    headers["Content-Length"] = String(range.end - range.start + 1);
    return { status: 206, contentType, headers, body: { file, start: range.start, end: range.end } };
  }
  headers["Content-Length"] = String(info.size);
  return { status: 200, contentType, headers, body: { file } };
}

/** The `delivery.serve` action: the answer as a stream (or buffer) and response meta for moleculer-web. */
export async function serveMediaFile(
  svc: DeliveryThis,
  ctx: ActionContext<"delivery.serve">,
): Promise<Readable | Buffer> {
  const meta = ctx.meta as DeliveryMeta;
  const segments = Array.isArray(ctx.params.path) ? ctx.params.path : ctx.params.path.split("/");
  const answer = await answerMedia(svc, {
    segments,
    grant: { p: ctx.params.p, exp: ctx.params.exp, sig: ctx.params.sig },
    range: meta.range,
  });
  meta.$responseType = answer.contentType;
  meta.$responseHeaders = answer.headers;
  if (answer.status !== 200) meta.$statusCode = answer.status;
  if (Buffer.isBuffer(answer.body)) return answer.body;
  const { file, start, end } = answer.body;
  return start === undefined ? createReadStream(file) : createReadStream(file, { start, end });
}
