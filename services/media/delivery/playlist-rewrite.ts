/**
 * HLS players resolve variant playlists and segments relative to the
 * playlist URL and drop its query string, so a signed grant would stop at
 * the master playlist. Serving a playlist, we append the same grant to every
 * URI in it (plain URI lines and URI="…" attributes such as EXT-X-MAP).
 * Absolute URLs (another host) are left alone.
 */
export function appendGrantToPlaylist(playlist: string, grantQuery: string): string {
  const withGrant = (uri: string): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith("//")) return uri;
    return `${uri}${uri.includes("?") ? "&" : "?"}${grantQuery}`;
  };
  return playlist
    .split("\n")
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === "") return line;
      if (!trimmed.startsWith("#")) return withGrant(trimmed);
      return line.replace(/URI="([^"]+)"/g, (_m, uri: string) => `URI="${withGrant(uri)}"`);
    })
    .join("\n");
}
