/**
 * Channel slugs are the public URL of a channel (/c/<slug>): lowercase ASCII
 * letters, digits and single hyphens, 3–32 characters, not starting or ending
 * with a hyphen, and not a word the web app routes itself.
 */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,31}$/;

const RESERVED = new Set([
  "admin",
  "api",
  "auth",
  "login",
  "logout",
  "register",
  "signup",
  "settings",
  "me",
  "new",
  "edit",
  "channels",
  "channel",
  "users",
  "user",
  "videos",
  "video",
  "live",
  "search",
  "events",
  "blog",
  "help",
  "support",
  "about",
  "terms",
  "privacy",
  "arena",
  "static",
  "media",
  "health",
  "metrics",
  "moderator",
  "moderators",
  "staff",
  "official",
  "null",
  "undefined",
]);

export function normalizeSlug(input: string): string {
  return input.trim().toLowerCase();
}

/** The problem with a slug, or undefined when it is acceptable. */
export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) {
    return "slug must be 3-32 characters of a-z, 0-9 and single hyphens, starting and ending with a letter or digit";
  }
  if (RESERVED.has(slug)) return `slug "${slug}" is reserved`;
  return undefined;
}
