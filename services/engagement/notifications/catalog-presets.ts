/**
 * What catalog entries share: the length a title and a body are cut to
 * (docs/notifications.md promises 120 and 280 characters), the channel sets
 * a type may use, and the two usual defaults. One copy, so an entry in any
 * area file renders and defaults like the others.
 */

/** Characters a rendered title is cut to. */
export const TITLE = 120;
/** Characters a rendered body is cut to. */
export const BODY = 280;
export const ALL = ["inApp", "mobile", "web"] as const;
export const IN_APP_ONLY = ["inApp"] as const;
export const everywhere = { inApp: true, mobile: true, web: true };
export const inboxOnly = { inApp: true, mobile: false, web: false };
