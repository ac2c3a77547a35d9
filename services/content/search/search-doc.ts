/**
 * One document of the search index and how events change it. Pure: no
 * database, no Moleculer (unit-tested alone).
 *
 * A document is fed by several kinds of events that each own some of its
 * fields ("aspects"): content (title, tags, visibility, deletion), live
 * state (stream started/ended), suspension, follower count. Each aspect keeps the position
 * of the newest change applied to it (`guards`), and a change older than
 * that is skipped: events of one document may arrive in any order (several
 * in flight, retries, several nodes) and an older one never overwrites a
 * newer one. A deleted document stays as a tombstone (invisible) so a late
 * update cannot bring it back.
 */
export const DOC_TYPES = ["channel", "stream", "video", "user", "tournament", "post"] as const;
export type DocType = (typeof DOC_TYPES)[number];

/**
 * `followers` is apart from `stats` because its events carry the channel's own version: a viewer sample (placed by
 * time) applied to the same aspect would replace that version, and an older count could then win on time alone.
 */
export type Aspect = "content" | "status" | "live" | "suspension" | "stats" | "followers";

/**
 * Where a change sits in its document's history: a producer's own version
 * number when it has one (blog posts, channel follower counts), else the time it happened. Compared
 * only with positions of the same kind.
 */
export interface Position {
  version?: number;
  at: number;
}

export interface DocFields {
  title: string;
  body: string;
  tags: string[];
  category: string | null;
  language: string | null;
  ownerId: string | null;
  channelId: string | null;
  /** The web client's path of the document ("/c/<slug>", "/v/<id>"...). */
  path: string | null;
  live: boolean;
  viewers: number;
  followers: number;
  views: number;
  durationS: number | null;
  publishedAt: string | null;
  /** Public for everyone (not private, unlisted, draft, cancelled...). */
  listed: boolean;
  deleted: boolean;
  suspended: boolean;
}

export interface SearchDoc extends DocFields {
  /** `<type>:<sourceId>` */
  id: string;
  type: DocType;
  sourceId: string;
  guards: Partial<Record<Aspect, Position>>;
}

/** One event's effect on one document: the fields of one aspect. */
export interface DocChange {
  type: DocType;
  sourceId: string;
  aspect: Aspect;
  position: Position;
  fields: Partial<DocFields>;
}

export function docId(type: DocType, sourceId: string): string {
  return `${type}:${sourceId}`;
}

export function emptyDoc(type: DocType, sourceId: string): SearchDoc {
  return {
    id: docId(type, sourceId),
    type,
    sourceId,
    title: "",
    body: "",
    tags: [],
    category: null,
    language: null,
    ownerId: null,
    channelId: null,
    path: null,
    live: false,
    viewers: 0,
    followers: 0,
    views: 0,
    durationS: null,
    publishedAt: null,
    listed: false,
    deleted: false,
    suspended: false,
    guards: {},
  };
}

/** True when `next` is not older than `applied` (equal positions apply: a redelivery is deduped before this). */
export function isNewer(next: Position, applied: Position | undefined): boolean {
  if (!applied) return true;
  if (next.version !== undefined && applied.version !== undefined) return next.version >= applied.version;
  return next.at >= applied.at;
}

/** The document after `change`, or null when the change is older than what the document holds. */
export function applyChange(doc: SearchDoc, change: DocChange): SearchDoc | null {
  if (!isNewer(change.position, doc.guards[change.aspect])) return null;
  const next: SearchDoc = { ...doc, ...change.fields, guards: { ...doc.guards, [change.aspect]: change.position } };
  if (!next.live) next.viewers = 0;
  return next;
}

/** Whether anyone may find the document: the privacy rule, in one place. */
export function isVisible(doc: SearchDoc): boolean {
  if (doc.deleted || doc.suspended || !doc.listed || doc.title.trim() === "") return false;
  // A live stream exists only while it is live.
  return doc.type !== "stream" || doc.live;
}

/**
 * The popularity signal that orders documents of equal relevance (after
 * live before offline): viewers now weigh most, then followers, then views.
 * Documented in docs/search.md; the ranking tests depend on it.
 */
export function popularity(doc: Pick<DocFields, "live" | "viewers" | "followers" | "views">): number {
  return (doc.live ? doc.viewers * 100 : 0) + doc.followers * 10 + doc.views;
}
