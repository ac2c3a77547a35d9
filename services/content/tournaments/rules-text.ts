/**
 * Tournament names and rules. Names are plain text (the one rule in
 * lib/text). Rules may be markdown: stored as markdown with every HTML tag
 * removed by the same parser, and link targets limited to http(s)/mailto
 * and relative URLs, so a renderer that allows inline links cannot be made
 * to run `javascript:`. Renderers still escape on output.
 */
import { toPlainText } from "../../../lib/text/plain-text";
import type { RulesFormat } from "./tournament.types";

const SAFE_URL = /^(https?:\/\/|mailto:|\/|#)/i;

function safeLinks(markdown: string): string {
  // [text](url "title") and <autolinks>: anything with another scheme loses its target.
  const inline = markdown.replace(/\]\(\s*([^)\s]*)([^)]*)\)/g, (whole, url: string, rest: string) =>
    SAFE_URL.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) ? whole : `](#${rest})`,
  );
  // Reference definitions: [id]: javascript:...
  return inline.replace(/^(\s*\[[^\]]+\]:\s*)(\S+)/gm, (whole, head: string, url: string) =>
    SAFE_URL.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url) ? whole : `${head}#`,
  );
}

export function cleanRules(rules: string, format: RulesFormat): string {
  const text = toPlainText(rules);
  return format === "markdown" ? safeLinks(text) : text;
}

export function cleanName(name: string): string {
  return toPlainText(name).replace(/\s+/g, " ").trim();
}
