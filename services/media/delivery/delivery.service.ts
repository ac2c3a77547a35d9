import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Context, Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import { signMediaGrant, verifyMediaGrant } from "../../../lib/media/signed-url";
import { cacheControlFor, contentTypeFor, resolveMediaFile } from "./media-files";
import { parseByteRange } from "./byte-range";
import { appendGrantToPlaylist } from "./playlist-rewrite";

/**
 * Serves local media (`${dataDir}/media/**`) at GET /media/<path> to anyone
 * holding a valid signed grant for it: the signature is the auth. Used for
 * live HLS (/media/live/…) and VOD (/media/vod/…) in embedded mode;
 * production serves the same paths from CloudFront with its own signatures.
 */
export interface DeliverySettings {
  /** Defaults to `${getConfig().dataDir}/media`; tests may point elsewhere. */
  mediaRoot?: string;
}

export interface ServeParams {
  /** Path below /media: segments (gateway wildcard) or one string. */
  path: string | string[];
  p?: string;
  exp?: string;
  sig?: string;
}

interface DeliveryMeta {
  /** The request's `Range` header, copied by the gateway (see services/edge/api). */
  range?: string;
  $statusCode?: number;
  $responseType?: string;
  $responseHeaders?: Record<string, string>;
}

type DeliveryThis = Service<DeliverySettings> & { mediaRoot: string; urlSecret: string };

const DeliveryService: ServiceSchema<DeliverySettings, DeliveryThis> = {
  name: "delivery",

  settings: {},

  actions: {
    /**
     * Streams one media file after checking its signed grant (403 when unsigned, expired or for another path);
     * a single `Range: bytes=` gets 206 (416 when outside the file). Playlists are always sent whole.
     */
    serve: {
      params: {
        path: [
          { type: "string", min: 1, max: 1024 },
          { type: "array", items: { type: "string", min: 1, max: 255 }, min: 1, max: 16 },
        ],
        p: { type: "string", optional: true, max: 1024 },
        exp: { type: "string", optional: true, max: 20 },
        sig: { type: "string", optional: true, max: 200 },
      },
      async handler(this: DeliveryThis, ctx: Context<ServeParams, DeliveryMeta>): Promise<Readable | Buffer> {
        const segments = (Array.isArray(ctx.params.path) ? ctx.params.path : ctx.params.path.split("/")).filter(
          (s) => s !== "",
        );
        const urlPath = `/media/${segments.join("/")}`;
        const grant = { p: ctx.params.p, exp: ctx.params.exp, sig: ctx.params.sig };
        const nowS = Math.floor(Date.now() / 1000);
        const check = verifyMediaGrant(urlPath, grant, this.urlSecret, nowS);
        if (!check.ok) throw new ForbiddenError(`Media URL refused: ${check.reason}`);

        const file = resolveMediaFile(this.mediaRoot, segments);
        const contentType = contentTypeFor(urlPath);
        if (!file || !contentType) throw new NotFoundError("Media file");
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) throw new NotFoundError("Media file");

        ctx.meta.$responseType = contentType;
        const headers: Record<string, string> = { "Cache-Control": cacheControlFor(urlPath, Number(grant.exp), nowS) };
        if (urlPath.endsWith(".m3u8")) {
          // Re-sign with the same grant (not a fresh one): access never outlives what was granted.
          const query = signMediaGrant({ prefix: grant.p as string, expiresAt: Number(grant.exp) }, this.urlSecret);
          const body = Buffer.from(appendGrantToPlaylist(await readFile(file, "utf8"), query), "utf8");
          headers["Content-Length"] = String(body.length);
          ctx.meta.$responseHeaders = headers;
          return body;
        }
        headers["Accept-Ranges"] = "bytes";
        const range = parseByteRange(ctx.meta.range, info.size);
        if (range.kind === "unsatisfiable") {
          ctx.meta.$statusCode = 416;
          headers["Content-Range"] = `bytes */${info.size}`;
          headers["Content-Length"] = "0";
          ctx.meta.$responseHeaders = headers;
          return Buffer.alloc(0);
        }
        if (range.kind === "partial") {
          ctx.meta.$statusCode = 206;
          headers["Content-Range"] = `bytes ${range.start}-${range.end}/${info.size}`;
          headers["Content-Length"] = String(range.end - range.start + 1);
          ctx.meta.$responseHeaders = headers;
          return createReadStream(file, { start: range.start, end: range.end });
        }
        headers["Content-Length"] = String(info.size);
        ctx.meta.$responseHeaders = headers;
        return createReadStream(file);
      },
    },
  },

  created(this: DeliveryThis) {
    const config = getConfig();
    this.mediaRoot = this.settings.mediaRoot ?? join(config.dataDir, "media");
    this.urlSecret = config.media.urlSecret;
  },
};

export default DeliveryService;
