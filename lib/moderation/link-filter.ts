/**
 * Link detection for chat "no links" mode and comments. Catches schemes,
 * `www.` hosts and bare `name.tld` domains (with common TLDs, so "e.g." or
 * "v1.2" do not count as links), including obfuscated dots like "site . com"
 * or "site[.]com".
 */

const COMMON_TLDS = [
  "com",
  "net",
  "org",
  "io",
  "gg",
  "tv",
  "co",
  "me",
  "ly",
  "be",
  "info",
  "biz",
  "xyz",
  "app",
  "dev",
  "live",
  "stream",
  "link",
  "site",
  "online",
  "club",
  "shop",
  "store",
  "ru",
  "de",
  "uk",
  "fr",
  "es",
  "it",
  "nl",
  "pl",
  "br",
  "jp",
  "cn",
  "kr",
  "in",
  "us",
  "ca",
  "au",
  "eu",
  "to",
  "cc",
  "ws",
  "fm",
  "am",
  "gl",
  "sh",
  "ai",
  "so",
  "tk",
  "ml",
  "ga",
  "cf",
];

const SCHEME = /\b(?:https?|ftp|wss?):\/\//i;
const WWW = /\bwww\s*(?:\.|\[\.\]|\(\.\)|\s+dot\s+)\s*[a-z0-9-]+/i;
const DOMAIN = new RegExp(
  `\\b([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\\s*(?:\\.|\\[\\.\\]|\\(\\.\\)|\\s+dot\\s+)\\s*(${COMMON_TLDS.join("|")})\\b(?![.-][a-z0-9])?`,
  "gi",
);

export interface LinkFilterOptions {
  /** Hosts (and their subdomains) that are always allowed, e.g. the platform's own domain. */
  allowedHosts?: readonly string[];
}

function isAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase();
  return allowed.some((a) => h === a.toLowerCase() || h.endsWith(`.${a.toLowerCase()}`));
}

/** The first link-like substring, or null. */
export function findLink(rawText: string, options: LinkFilterOptions = {}): string | null {
  const allowed = options.allowedHosts ?? [];
  // Zero-width and other invisible format characters hide a link from the patterns, not from readers.
  const text = rawText.replace(/\p{Cf}+/gu, "");
  const scheme = SCHEME.exec(text);
  if (scheme) {
    const rest = text.slice(scheme.index + scheme[0].length);
    // Browsers read a backslash as "/" in http(s) URLs, so the host ends there too.
    const host = /^[^\s/\\:?#]+/.exec(rest)?.[0] ?? "";
    if (!host || !isAllowed(host, allowed)) return scheme[0] + host;
  }
  const www = WWW.exec(text);
  if (
    www &&
    !isAllowed(
      www[0]
        .replace(/\s+/g, "")
        .replace(/\[\.\]|\(\.\)/g, ".")
        .replace(/^www\./i, ""),
      allowed,
    )
  )
    return www[0];
  DOMAIN.lastIndex = 0;
  for (let m = DOMAIN.exec(text); m; m = DOMAIN.exec(text)) {
    const host = `${m[1]}.${m[2]}`;
    if (!isAllowed(host, allowed)) return m[0];
  }
  return null;
}

export function containsLink(text: string, options: LinkFilterOptions = {}): boolean {
  return findLink(text, options) !== null;
}
