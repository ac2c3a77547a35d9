import type { IncomingMessage, ServerResponse } from "node:http";
import { ValidationError } from "../../../lib/errors";

/**
 * No route takes more than a few levels of nesting; 32 leaves room for any
 * honest body while keeping every later recursive walk (the validator, error
 * formatting, logging, serializers) far from the stack limit. A 12 KB body of
 * 6000 nested arrays used to overflow fastest-validator's error formatting.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * True when the raw JSON text nests objects/arrays deeper than `max`. One pass
 * over the bytes, no recursion; brackets inside strings don't count. Malformed
 * text is left for JSON.parse to reject.
 */
export function exceedsJsonDepth(raw: Uint8Array, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return false;
}

/** body-parser's `verify` hook: runs on the raw body before it is parsed. */
export function rejectDeepJson(_req: IncomingMessage, _res: ServerResponse, raw: Buffer): void {
  if (exceedsJsonDepth(raw)) {
    throw new ValidationError(`Request body nests deeper than ${MAX_JSON_DEPTH} levels`, [
      { message: `JSON objects and arrays may nest at most ${MAX_JSON_DEPTH} levels deep` },
    ]);
  }
}
