/**
 * Moleculer's trace id is the root context's request id, which the gateway
 * takes from X-Request-Id (a UUID it mints, or the edge's 32-hex id, or a
 * client's own string). Zipkin and Jaeger want 32 (trace) and 16 (span)
 * lowercase hex digits, and one bad id makes a collector refuse the whole
 * batch, so ids are mapped here, the same way for exported spans and for log
 * lines: hex ids keep their digits, anything else is hashed.
 */
import { createHash } from "node:crypto";

function hexOf(id: string, length: number): string {
  const compact = id.replace(/-/g, "").toLowerCase();
  if (/^[0-9a-f]+$/.test(compact)) {
    if (compact.length >= length) return compact.slice(0, length);
    // A 64-bit trace id (older Zipkin clients) is the low half of a 128-bit one.
    if (compact.length === 16) return compact.padStart(length, "0");
  }
  return createHash("sha256").update(id).digest("hex").slice(0, length);
}

/** 128-bit trace id (32 hex) as exported spans and log lines carry it. */
export function traceIdOf(requestId: string): string {
  return hexOf(requestId, 32);
}

/** 64-bit span id (16 hex). */
export function spanIdOf(id: string): string {
  return hexOf(id, 16);
}
