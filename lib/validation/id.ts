/**
 * The one id rule. Every id Arena hands out or accepts (user ids, which are
 * Keycloak subjects in production and UUIDs from the built-in issuer;
 * channel, video, session and comment UUIDs; chat message ids; `live-<uuid>`
 * source ids) is URL-safe and NATS-subject-safe: letters, digits, `_` and `-`,
 * at most 64 characters. Params schemas use `ID`; code that checks an id
 * outside a schema (the realtime protocol, mod commands) uses `isId`.
 */
export const ID_MAX_LENGTH = 64;

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** fastest-validator rule for an id param; spread it to add `optional: true`. */
export const ID = { type: "string", min: 1, max: ID_MAX_LENGTH, pattern: /^[A-Za-z0-9_-]+$/ } as const;

/** An array of ids, for batch reads (`getMany`); bounded so one call cannot ask for a whole table. */
export const IDS = { type: "array", items: ID, max: 200 } as const;

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}
