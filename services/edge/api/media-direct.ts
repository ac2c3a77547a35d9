/**
 * Signed media (GET/HEAD /media/…) straight from the HTTP handler when this
 * node runs the delivery service: the per-IP media budget, the grant check
 * and `Range` as `delivery.serve` does them (one function, answerMedia), then
 * the file piped to the socket. No moleculer-web routing, no action call, no
 * stream handed through the broker: what is left per segment is a `stat` and
 * the copy. Any other node (delivery elsewhere) still routes to the action.
 * In production the edge (deploy/edge) or the CDN serves these paths.
 */
import { createReadStream } from "node:fs";
import type { ServerResponse } from "node:http";
import type { DeliveryThis } from "../../media/delivery/delivery.context";
import { answerMedia } from "../../media/delivery/serve-media";
import type { ApiThis, ArenaRequest } from "./api.context";
import { enforceLimits } from "./limits";

const PREFIX = "/media/";
/** The route template the HTTP metrics label it with (delivery.routes.ts). */
const ROUTE = { fullPath: "/media/:path*" };
/** As the action's params allow (delivery.params.ts); a longer value cannot be a grant we signed. */
const MAX_QUERY_VALUE = 1024;

/** moleculer-web's CORS header writer: a routed request gets it from the route; this path calls it itself. */
interface CorsWriter {
  writeCorsHeaders(route: { cors: unknown }, req: ArenaRequest, res: ServerResponse, isPreFlight: boolean): void;
}

function first(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name) ?? undefined;
  return value !== undefined && value.length <= MAX_QUERY_VALUE ? value : undefined;
}

/** True when the request was a media request this node answered (or failed) here. */
export async function serveMediaDirect(svc: ApiThis, req: ArenaRequest, res: ServerResponse): Promise<boolean> {
  const url = req.url ?? "/";
  if (!url.startsWith(PREFIX) || (req.method !== "GET" && req.method !== "HEAD")) return false;
  const delivery = svc.broker.getLocalService("delivery") as DeliveryThis | undefined;
  if (!delivery?.mediaRoot) return false;
  (req as unknown as { $alias: unknown }).$alias = ROUTE;
  await enforceLimits(svc.limitStore, svc.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "media" });
  // The same CORS rule as every routed request (an allowed origin is echoed, another gets 403): a player
  // on another allowed origin (an embed, a separate web host) fetches playlists and segments with XHR.
  (svc as unknown as CorsWriter).writeCorsHeaders({ cors: svc.settings.cors }, req, res, false);
  const queryAt = url.indexOf("?");
  const path = queryAt < 0 ? url.slice(PREFIX.length) : url.slice(PREFIX.length, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? "" : url.slice(queryAt + 1));
  let segments: string[];
  try {
    segments = path.split("/").map(decodeURIComponent);
  } catch {
    segments = [".."];
  }
  const answer = await answerMedia(delivery, {
    segments,
    grant: { p: first(query, "p"), exp: first(query, "exp"), sig: first(query, "sig") },
    range: typeof req.headers.range === "string" ? req.headers.range : undefined,
  });
  res.statusCode = answer.status;
  res.setHeader("Content-Type", answer.contentType);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  if (req.method === "HEAD") {
    res.end();
    return true;
  }
  if (Buffer.isBuffer(answer.body)) {
    res.end(answer.body);
    return true;
  }
  const { file, start, end } = answer.body;
  const copy = createReadStream(file, start === undefined ? undefined : { start, end });
  // `pipe` with two listeners rather than `pipeline`: pipeline builds an AbortController per call and,
  // once the copy ends, an AbortError (a DOMException with its stack), about 3% of a segment's CPU.
  // A file gone between stat and open, or a read failing: the response is aborted (headers are out).
  copy.once("error", () => res.destroy());
  // The client gone mid-copy (or the copy done): the file is closed, nothing is read for nobody.
  res.once("close", () => copy.destroy());
  copy.pipe(res);
  return true;
}
