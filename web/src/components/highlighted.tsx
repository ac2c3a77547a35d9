import type { TextMatch } from "../api/schemas";
import { splitMatches } from "../lib/search-hits";

/** Text with the search's matched ranges in <mark>: text nodes only, whatever the text holds. */
export function Highlighted({ text, matches }: { text: string; matches: TextMatch[] }) {
  return (
    <>{splitMatches(text, matches).map((piece, i) => (piece.match ? <mark key={i}>{piece.text}</mark> : piece.text))}</>
  );
}
