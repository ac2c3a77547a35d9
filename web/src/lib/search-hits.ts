import type { SearchDocType, SearchHit, TextMatch } from "../api/schemas";

/** The result tabs of /search, in order; `type` is the search service's document type. */
export const SEARCH_TABS: Array<{ id: string; label: string; type?: SearchDocType }> = [
  { id: "all", label: "All" },
  { id: "channel", label: "Channels", type: "channel" },
  { id: "stream", label: "Live streams", type: "stream" },
  { id: "video", label: "Videos", type: "video" },
  { id: "user", label: "People", type: "user" },
  { id: "tournament", label: "Tournaments", type: "tournament" },
  { id: "post", label: "Posts", type: "post" },
];

const TYPE_LABEL: Record<SearchDocType, string> = {
  channel: "Channel",
  stream: "Live stream",
  video: "Video",
  user: "Person",
  tournament: "Tournament",
  post: "Post",
};

export function typeLabel(type: SearchDocType): string {
  return TYPE_LABEL[type] ?? type;
}

/** Where a hit opens in the client: the index stores paths for everything but people. */
export function hitHref(hit: SearchHit): string {
  // Only a path of this site: "//host" would leave it.
  if (hit.path && hit.path.startsWith("/") && !hit.path.startsWith("//")) return hit.path;
  if (hit.type === "user") return `/u/${encodeURIComponent(hit.id)}`;
  return `/search?q=${encodeURIComponent(hit.title)}`;
}

export interface TextPiece {
  text: string;
  match: boolean;
}

/**
 * Cuts `text` at the server's match ranges (UTF-16 offsets): the pieces are
 * rendered as text nodes and <mark> elements, never as HTML. Ranges out of
 * bounds, overlapping or out of order are clipped, not trusted.
 */
export function splitMatches(text: string, matches: TextMatch[]): TextPiece[] {
  const pieces: TextPiece[] = [];
  let at = 0;
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  for (const m of sorted) {
    const start = Math.max(at, Math.min(text.length, Math.floor(m.start)));
    const end = Math.min(text.length, Math.floor(m.start + m.length));
    if (end <= start) continue;
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    pieces.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
