/** fastest-validator schemas of the search actions, in one place for the service and its routes. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { DOC_TYPES } from "./search-doc";

/** Longest query, characters: longer ones are a 400 (nobody types more; the cost of a query grows with it). */
export const MAX_QUERY_LENGTH = 200;

/** Filter strings: printable text only (a NUL or control character is a 400, never a database error). */
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
const FILTER = { type: "string", min: 1, max: 64, pattern: PRINTABLE, optional: true } as const;
const QUERY = { type: "string", max: MAX_QUERY_LENGTH } as const;
const TYPE = { type: "enum", values: [...DOC_TYPES], optional: true } as const;
const SECONDS = { type: "number", integer: true, min: 0, max: 1_000_000, optional: true, convert: true } as const;
const DATE = { type: "date", convert: true, optional: true } as const;

export const SEARCH = {
  q: { ...QUERY, optional: true },
  type: TYPE,
  category: FILTER,
  tags: { ...FILTER, max: 200 },
  language: { ...FILTER, max: 16 },
  live: { type: "boolean", convert: true, optional: true },
  minDurationS: SECONDS,
  maxDurationS: SECONDS,
  since: DATE,
  until: DATE,
  ...CURSOR_PAGE_PARAMS,
  $$strict: "remove",
} as const;

export const SUGGEST = {
  q: { ...QUERY, min: 1 },
  type: TYPE,
  limit: { type: "number", integer: true, min: 1, max: 20, optional: true, convert: true },
  $$strict: "remove",
} as const;

export const TRENDING = {
  category: FILTER,
  limit: { type: "number", integer: true, min: 1, max: 50, optional: true, convert: true },
  windowH: { type: "number", integer: true, min: 1, max: 168, optional: true, convert: true },
  $$strict: "remove",
} as const;

export const REINDEX = {
  types: { type: "array", items: { type: "enum", values: [...DOC_TYPES] }, optional: true },
  $$strict: "remove",
} as const;
