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
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error)
    return { name: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = SECRET_KEY.test(key) ? MASK : redactValue(v, depth + 1);
  }
  return out;
}
