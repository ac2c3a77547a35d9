import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

/**
 * What every response gets before any routing: a request id and security
 * headers. An incoming X-Request-Id is kept only when it is short and plain,
 * so a client cannot inject log lines or huge headers through it.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}

// The API only serves JSON and media bytes: nothing it returns should ever run script or be framed.
const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = Object.entries({
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "Cross-Origin-Opener-Policy": "same-origin",
});

const HSTS = ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"] as const;

export function writeSecurityHeaders(res: ServerResponse, https: boolean): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  // HSTS over plain HTTP is ignored by browsers and misleading; send it only when the client used TLS.
  if (https) res.setHeader(HSTS[0], HSTS[1]);
}

/** The same headers as flat name/value pairs for `writeHead` (fast-path.ts), over plain HTTP and over TLS. */
export const SECURITY_HEADER_PAIRS: readonly string[] = SECURITY_HEADERS.flat();
export const SECURITY_HEADER_PAIRS_TLS: readonly string[] = [...SECURITY_HEADER_PAIRS, ...HSTS];
/** Lower-case names of every header above: a cached answer stores none of them (the fast path adds its own). */
export const SECURITY_HEADER_NAMES: ReadonlySet<string> = new Set(
  [...SECURITY_HEADERS.map(([name]) => name), HSTS[0]].map((name) => name.toLowerCase()),
);
