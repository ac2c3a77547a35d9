/**
 * Markdown → safe HTML, once on write. markdown-it parses (raw HTML allowed,
 * because the allow-listed video embed is written as an iframe), then
 * sanitize-html keeps only an allow-list of tags, attributes and URL schemes:
 * no script or style, no event handlers, no javascript:/data: URLs, iframes
 * only for known video players' embed URLs, and every link gets
 * rel="nofollow ugc noopener". The markdown stays stored, so a sanitizer
 * upgrade re-renders everything (blog.rerender).
 */
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MARKDOWN_IT_VERSION = (require("markdown-it/package.json") as { version: string }).version;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SANITIZE_HTML_VERSION = (require("sanitize-html/package.json") as { version: string }).version;
/** Bump when the allow-list below changes. */
const RULES_VERSION = 1;

/** Stored with each post: a post rendered with anything else is re-rendered by blog.rerender. */
export const RENDERER_VERSION = `markdown-it@${MARKDOWN_IT_VERSION}+sanitize-html@${SANITIZE_HTML_VERSION}+rules@${RULES_VERSION}`;

export const LINK_REL = "nofollow ugc noopener";

/** Video players whose embed pages may be framed: host → allowed path. */
const VIDEO_EMBEDS: ReadonlyArray<{ host: string; path: RegExp }> = [
  { host: "www.youtube-nocookie.com", path: /^\/embed\/[A-Za-z0-9_-]{6,20}$/ },
  { host: "www.youtube.com", path: /^\/embed\/[A-Za-z0-9_-]{6,20}$/ },
  { host: "player.vimeo.com", path: /^\/video\/[0-9]{1,12}$/ },
];

/** An https URL of an allow-listed video player's embed page (no credentials, no odd port). */
export function isAllowedEmbed(src: string | undefined): boolean {
  if (!src) return false;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.username || url.password || url.port) return false;
  return VIDEO_EMBEDS.some((e) => e.host === url.hostname && e.path.test(url.pathname));
}

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "blockquote",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "s",
    "sup",
    "sub",
    "code",
    "pre",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "iframe",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "alt", "title", "width", "height", "loading", "referrerpolicy"],
    iframe: ["src", "title", "width", "height", "allowfullscreen", "sandbox", "referrerpolicy", "loading", "allow"],
    ol: ["start"],
    code: ["class"],
  },
  allowedClasses: { code: ["language-*"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"], iframe: ["https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite"],
  allowProtocolRelative: false,
  allowedIframeHostnames: VIDEO_EMBEDS.map((e) => e.host),
  allowIframeRelativeUrls: false,
  disallowedTagsMode: "discard",
  // Any iframe that is not exactly a known player's embed page goes, content and all.
  exclusiveFilter: (frame) => frame.tag === "iframe" && !isAllowedEmbed(frame.attribs.src),
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...pick(attribs, ["href", "title"]), rel: LINK_REL },
    }),
    img: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...pick(attribs, ["src", "alt", "title", "width", "height"]),
        loading: "lazy",
        referrerpolicy: "no-referrer",
      },
    }),
    // The player runs in a sandbox of its own origin; the embedding page grants nothing else.
    iframe: (tagName, attribs) => ({
      tagName,
      attribs: {
        ...pick(attribs, ["src", "title", "width", "height"]),
        sandbox: "allow-scripts allow-same-origin allow-presentation",
        allow: "fullscreen; picture-in-picture",
        allowfullscreen: "",
        referrerpolicy: "strict-origin-when-cross-origin",
        loading: "lazy",
      },
    }),
  },
};

function pick(attribs: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (attribs[name] !== undefined) out[name] = attribs[name] as string;
  return out;
}

/** Sanitizes HTML with the post allow-list (also applied to anything already rendered, on rerender). */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

/** Renders a post body: markdown → HTML → allow-list. */
export function renderMarkdown(source: string): string {
  return sanitizePostHtml(markdown.render(source));
}
