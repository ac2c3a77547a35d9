/**
 * Log redaction: anything that looks like a credential is masked before a log
 * line leaves the process (ELK keeps logs far longer than tokens live).
 */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|stream_?key|private_?key|api_?key|otp|totp/i;
const BEARER = /(Bearer\s+)[A-Za-z0-9\-_.~+/]+=*/gi;
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
const URL_CREDENTIALS = /(\w+:\/\/[^:/\s]+:)[^@\s]+@/g;
const MASK = "[REDACTED]";

export function redactString(text: string): string {
  return text.replace(BEARER, `$1${MASK}`).replace(JWT, MASK).replace(URL_CREDENTIALS, `$1${MASK}@`);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactString(value);
  if (value === null || typeof value !== "object") return value;
  // Deeper than any log-worthy payload (and where circular references would loop).
  if (depth > 6) return "[…]";
  if (value instanceof Error)
    return { name: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  // Streams, sockets, buffers, brokers: their type says enough, and dumping them walks
  // circular references (an upload's request stream made every debug line of it throw).
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && proto !== Object.prototype) return `[${value.constructor?.name ?? "object"}]`;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? MASK : redactValue(v, depth + 1);
  }
  return out;
}
