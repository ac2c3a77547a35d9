/**
 * Runtime settings the api node writes into index.html (meta tags, no inline
 * script: the CSP forbids it). In `vite` dev mode the tag still holds its
 * placeholder and VITE_REALTIME_URL or ws://<host>:3001 is used instead.
 */
function meta(name: string): string | undefined {
  const value = document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;
  return value && !value.startsWith("%") ? value : undefined;
}

const wsScheme = location.protocol === "https:" ? "wss" : "ws";

export const config = {
  realtimeUrl:
    meta("arena-realtime-url") ??
    (import.meta.env.VITE_REALTIME_URL as string | undefined) ??
    `${wsScheme}://${location.hostname}:3001`,
};

/**
 * Signed media URLs are absolute on PUBLIC_URL. When that is this page's own
 * gateway under another host name (localhost vs 127.0.0.1), fetch them
 * same-origin instead so no CORS or CSP exception is needed.
 */
export function sameOriginMedia(url: string): string {
  try {
    const parsed = new URL(url, location.href);
    if (parsed.origin !== location.origin && parsed.pathname.startsWith("/media/")) {
      const own = new URL(location.href);
      if (parsed.port === own.port || (parsed.port === "" && own.port === "")) return parsed.pathname + parsed.search;
    }
    return parsed.toString();
  } catch {
    return url;
  }
}
