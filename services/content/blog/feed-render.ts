/**
 * RSS 2.0 and Atom 1.0 documents from published posts: absolute links,
 * XML-escaped text, the sanitized HTML as the entry content.
 */
export interface FeedItem {
  id: string;
  title: string;
  summary: string;
  html: string;
  url: string;
  authorName: string;
  category: string | null;
  tags: string[];
  publishedAt: Date;
  changedAt: Date;
  coverUrl: string | null;
}

export interface FeedMeta {
  title: string;
  description: string;
  /** Absolute URL of the feed itself. */
  selfUrl: string;
  /** Absolute URL of the blog's page. */
  siteUrl: string;
  /** Newest change among the items (or the feed's creation when empty). */
  updatedAt: Date;
}

export const FEED_CONTENT_TYPES = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
} as const;
export type FeedFormat = keyof typeof FEED_CONTENT_TYPES;

// Characters XML 1.0 cannot carry at all, even escaped.
const XML_INVALID = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function xmlEscape(text: string): string {
  return text
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function coverType(url: string): string {
  if (url.endsWith(".png")) return "image/png";
  if (url.endsWith(".webp")) return "image/webp";
  if (url.endsWith(".gif")) return "image/gif";
  return "image/jpeg";
}

export function renderRss(meta: FeedMeta, items: readonly FeedItem[]): string {
  const entries = items.map((item) => {
    const parts = [
      `<title>${xmlEscape(item.title)}</title>`,
      `<link>${xmlEscape(item.url)}</link>`,
      `<guid isPermaLink="false">${xmlEscape(`urn:arena:post:${item.id}`)}</guid>`,
      `<pubDate>${item.publishedAt.toUTCString()}</pubDate>`,
      `<dc:creator>${xmlEscape(item.authorName)}</dc:creator>`,
      `<description>${xmlEscape(item.summary)}</description>`,
      `<content:encoded>${xmlEscape(item.html)}</content:encoded>`,
      ...(item.category ? [`<category>${xmlEscape(item.category)}</category>`] : []),
      ...item.tags.map((t) => `<category>${xmlEscape(t)}</category>`),
      ...(item.coverUrl
        ? [`<enclosure url="${xmlEscape(item.coverUrl)}" length="0" type="${coverType(item.coverUrl)}"/>`]
        : []),
    ];
    return `<item>${parts.join("")}</item>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
    `<channel><title>${xmlEscape(meta.title)}</title><link>${xmlEscape(meta.siteUrl)}</link>` +
    `<description>${xmlEscape(meta.description)}</description>` +
    `<atom:link href="${xmlEscape(meta.selfUrl)}" rel="self" type="application/rss+xml"/>` +
    `<lastBuildDate>${meta.updatedAt.toUTCString()}</lastBuildDate>` +
    `${entries.join("")}</channel></rss>\n`
  );
}

export function renderAtom(meta: FeedMeta, items: readonly FeedItem[]): string {
  const entries = items.map((item) => {
    const parts = [
      `<id>${xmlEscape(`urn:arena:post:${item.id}`)}</id>`,
      `<title type="text">${xmlEscape(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(item.url)}"/>`,
      `<published>${item.publishedAt.toISOString()}</published>`,
      `<updated>${item.changedAt.toISOString()}</updated>`,
      `<author><name>${xmlEscape(item.authorName)}</name></author>`,
      `<summary type="text">${xmlEscape(item.summary)}</summary>`,
      `<content type="html">${xmlEscape(item.html)}</content>`,
      ...(item.category ? [`<category term="${xmlEscape(item.category)}"/>`] : []),
      ...item.tags.map((t) => `<category term="${xmlEscape(t)}"/>`),
      ...(item.coverUrl
        ? [`<link rel="enclosure" type="${coverType(item.coverUrl)}" href="${xmlEscape(item.coverUrl)}"/>`]
        : []),
    ];
    return `<entry>${parts.join("")}</entry>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<feed xmlns="http://www.w3.org/2005/Atom">` +
    `<id>${xmlEscape(meta.selfUrl)}</id><title type="text">${xmlEscape(meta.title)}</title>` +
    `<subtitle type="text">${xmlEscape(meta.description)}</subtitle>` +
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(meta.selfUrl)}"/>` +
    `<link rel="alternate" type="text/html" href="${xmlEscape(meta.siteUrl)}"/>` +
    `<updated>${meta.updatedAt.toISOString()}</updated>` +
    `${entries.join("")}</feed>\n`
  );
}
