import { existsSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";

/**
 * Serves the built web client (web/dist) at `/`: hashed assets with a year of
 * immutable caching, index.html with no-cache, and index.html for any other
 * path without a file extension (the client routes it). API, media and health
 * paths are never answered here. Files are read once and kept in memory with
 * the `.br`/`.gz` forms the web build writes beside them (no compression
 * work on the request path).
 */
export interface WebClientOptions {
  distDir: string;
  /** ws(s):// URL browsers open for realtime; unset → the page's host name on `realtimePort`. */
  realtimeUrl?: string;
  realtimePort: number;
  /** Origins (besides 'self') that serve media and thumbnails, e.g. a CloudFront domain. */
  mediaOrigins: string[];
  /** Origins the browser uploads to directly (presigned S3 URLs). */
  uploadOrigins: string[];
}

interface CachedFile {
  mtimeMs: number;
  type: string;
  raw: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

const NOT_OURS = /^\/(api|media|health|metrics)(\/|$)/;
const IMMUTABLE = "public, max-age=31536000, immutable";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
  ".json": "application/json; charset=utf-8",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
// Host header → the host name part we may put into the page and its CSP; anything odd is not reflected.
const SANE_HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]{1,253})(:\d{1,5})?$/;
const REALTIME_MARKER = "%ARENA_REALTIME_URL%";

export class WebClient {
  private readonly dist: string;
  private readonly cache = new Map<string, CachedFile>();

  constructor(private readonly options: WebClientOptions) {
    this.dist = resolve(options.distDir);
  }

  /** False when web/dist has no index.html (client not built): the gateway then answers as before. */
  available(): boolean {
    return existsSync(join(this.dist, "index.html"));
  }

  /** Answers the request and returns true when it is the web client's; false leaves it to the API. */
  serve(req: IncomingMessage, res: ServerResponse, https: boolean): boolean {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    let path: string;
    try {
      path = decodeURIComponent((req.url ?? "/").split("?")[0] ?? "/");
    } catch {
      return false;
    }
    if (NOT_OURS.test(path) || path.includes("\0")) return false;
    const file = this.resolveFile(path);
    if (file === undefined) {
      // A missing asset is a real 404; a path without an extension is a client route.
      if (extname(path) !== "" || !this.available()) return false;
      return this.sendIndex(req, res, https);
    }
    if (file.endsWith(`${sep}index.html`)) return this.sendIndex(req, res, https);
    const cached = this.load(file);
    if (!cached) return false;
    const hashed = path.startsWith("/assets/");
    this.send(req, res, cached, hashed ? IMMUTABLE : "public, max-age=3600");
    return true;
  }

  /** The CSP the app runs under: its own scripts and styles only, API/media/realtime as the page needs. */
  contentSecurityPolicy(realtimeUrl: string): string {
    const media = this.options.mediaOrigins.join(" ");
    const connect = ["'self'", realtimeUrl, ...this.options.mediaOrigins, ...this.options.uploadOrigins].join(" ");
    return [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      // Blog posts may show images from anywhere (the blog's sanitizer allows http(s) images).
      `img-src 'self' data: blob: https: http: ${media}`.trim(),
      `media-src 'self' blob: ${media}`.trim(),
      `connect-src ${connect}`,
      // hls.js demuxes in a worker it starts from a blob: URL.
      "worker-src 'self' blob:",
      // The video players the blog's sanitizer lets posts embed (services/content/blog/markdown-render.ts).
      "frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join("; ");
  }

  /** Where this page's browser opens the realtime socket. */
  realtimeUrlFor(req: IncomingMessage, https: boolean): string {
    if (this.options.realtimeUrl) return this.options.realtimeUrl;
    const host = typeof req.headers.host === "string" && SANE_HOST.test(req.headers.host) ? req.headers.host : "";
    const hostname = host ? host.replace(/:\d{1,5}$/, "") : "127.0.0.1";
    return `${https ? "wss" : "ws"}://${hostname}:${this.options.realtimePort}`;
  }

  private sendIndex(req: IncomingMessage, res: ServerResponse, https: boolean): boolean {
    const index = this.load(join(this.dist, "index.html"));
    if (!index) return false;
    const realtimeUrl = this.realtimeUrlFor(req, https);
    const html = index.raw.toString("utf8").replace(REALTIME_MARKER, realtimeUrl.replace(/[<>"'&]/g, ""));
    res.setHeader("Content-Security-Policy", this.contentSecurityPolicy(realtimeUrl));
    const raw = Buffer.from(html, "utf8");
    // Per request (the realtime URL follows the Host header): compress with gzip only, it is a few hundred bytes.
    this.send(req, res, { mtimeMs: index.mtimeMs, type: index.type, raw, gzip: gzipSync(raw) }, "no-cache");
    return true;
  }

  private send(req: IncomingMessage, res: ServerResponse, file: CachedFile, cacheControl: string): void {
    const accept = String(req.headers["accept-encoding"] ?? "");
    let body = file.raw;
    if (file.br && /\bbr\b/.test(accept)) {
      body = file.br;
      res.setHeader("Content-Encoding", "br");
    } else if (file.gzip && /\bgzip\b/.test(accept)) {
      body = file.gzip;
      res.setHeader("Content-Encoding", "gzip");
    }
    if (file.gzip) res.setHeader("Vary", "Accept-Encoding");
    res.statusCode = 200;
    res.setHeader("Content-Type", file.type);
    res.setHeader("Cache-Control", cacheControl);
    res.setHeader("Content-Length", String(body.length));
    res.end(req.method === "HEAD" ? undefined : body);
  }

  /** Maps a URL path to a file inside dist, or undefined (never a path outside it). */
  private resolveFile(path: string): string | undefined {
    const relative = normalize(path === "/" ? "/index.html" : path).replace(/^([/\\])+/, "");
    const full = resolve(this.dist, relative);
    if (full !== this.dist && !full.startsWith(this.dist + sep)) return undefined;
    try {
      return statSync(full).isFile() ? full : undefined;
    } catch {
      return undefined;
    }
  }

  private load(full: string): CachedFile | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(full).mtimeMs;
    } catch {
      return undefined;
    }
    const hit = this.cache.get(full);
    if (hit && hit.mtimeMs === mtimeMs) return hit;
    const ext = extname(full).toLowerCase();
    const file: CachedFile = { mtimeMs, type: TYPES[ext] ?? "application/octet-stream", raw: readFileSync(full) };
    const sibling = (suffix: string): Buffer | undefined =>
      existsSync(full + suffix) ? readFileSync(full + suffix) : undefined;
    file.gzip = sibling(".gz");
    file.br = sibling(".br");
    this.cache.set(full, file);
    return file;
  }
}

/** web/dist next to the package root, whether we run from sources (tsx) or from dist/ (tsc output). */
export function defaultWebDist(): string {
  const compiled = __filename.endsWith(".js");
  return resolve(__dirname, ...(compiled ? ["..", "..", "..", ".."] : ["..", "..", ".."]), "web", "dist");
}
