/**
 * Writes to the index: a batch of changes becomes three statements however
 * many documents it touches (create missing rows, lock them, write them
 * back merged). Rows are locked in id order, so concurrent handlers of
 * overlapping documents wait for each other instead of deadlocking, and a
 * change is merged into the row as it is after every earlier commit.
 */
import { buildTsvector } from "./query-terms";
import { applyChange, emptyDoc, isVisible, popularity, type DocChange, type SearchDoc } from "./search-doc";
import type { SearchThis } from "./search.context";
import { fold, words } from "./text-fold";

const DOC_COLUMNS = `id, type, source_id AS "sourceId", title, body, tags, category, language, owner_id AS "ownerId",
  channel_id AS "channelId", path, live, viewers, followers, views::float8 AS views, duration_s AS "durationS",
  published_at AS "publishedAt", listed, deleted, suspended, guards, visible`;

interface DocRow extends Omit<SearchDoc, "publishedAt"> {
  publishedAt: Date | string | null;
  visible: boolean;
}

function fromRow(row: DocRow): SearchDoc {
  const { visible: _visible, publishedAt, ...rest } = row;
  return {
    ...rest,
    views: Number(rest.views),
    publishedAt: publishedAt === null ? null : new Date(publishedAt).toISOString(),
  };
}

/** What a batch did: documents written, changes skipped as older than the document, documents that left or joined the results. */
export interface ApplyResult {
  written: number;
  superseded: number;
  hidden: string[];
  shown: string[];
}

/** Applies changes in order (several may touch one document). Call inside a transaction. */
export async function applyChanges(svc: SearchThis, changes: DocChange[], sweptAt?: Date): Promise<ApplyResult> {
  const result: ApplyResult = { written: 0, superseded: 0, hidden: [], shown: [] };
  if (changes.length === 0) return result;
  return svc.db.transaction(async () => {
    const ids = [...new Set(changes.map((c) => `${c.type}:${c.sourceId}`))].sort();
    const types = ids.map((id) => id.slice(0, id.indexOf(":")));
    const sources = ids.map((id) => id.slice(id.indexOf(":") + 1));
    await svc.db.query(
      `INSERT INTO documents (id, type, source_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ORDER BY 1
       ON CONFLICT (id) DO NOTHING`,
      [ids, types, sources],
    );
    const rows = await svc.db.query<DocRow>(
      `SELECT ${DOC_COLUMNS} FROM documents WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    const before = new Map(rows.map((r) => [r.id, { doc: fromRow(r), visible: r.visible }]));
    const after = new Map<string, SearchDoc>();
    for (const change of changes) {
      const id = `${change.type}:${change.sourceId}`;
      const current = after.get(id) ?? before.get(id)?.doc ?? emptyDoc(change.type, change.sourceId);
      const next = applyChange(current, change);
      if (next) after.set(id, next);
      else result.superseded++;
    }
    if (after.size === 0) return result;
    await writeDocs(svc, [...after.values()], sweptAt);
    result.written = after.size;
    for (const [id, doc] of after) {
      const was = before.get(id)?.visible ?? false;
      if (was && !isVisible(doc)) result.hidden.push(id);
      if (!was && isVisible(doc)) result.shown.push(id);
    }
    return result;
  });
}

/** The row values of a document: folded text, tsvectors, visibility and popularity derived here, in one place. */
export function rowOf(doc: SearchDoc, sweptAt?: Date): Record<string, unknown> {
  const visible = isVisible(doc);
  const titleWords = words(fold(doc.title));
  const tagWords = words(fold([...doc.tags, doc.category ?? ""].join(" ")));
  const bodyWords = words(fold(doc.body)).slice(0, 2000);
  return {
    id: doc.id,
    type: doc.type,
    source_id: doc.sourceId,
    title: doc.title,
    body: doc.body,
    tags: doc.tags,
    category: doc.category,
    category_key: doc.category === null ? null : fold(doc.category).trim(),
    language: doc.language,
    owner_id: doc.ownerId,
    channel_id: doc.channelId,
    path: doc.path,
    live: doc.live,
    viewers: doc.viewers,
    followers: doc.followers,
    views: doc.views,
    duration_s: doc.durationS === null ? null : Math.round(doc.durationS),
    published_at: validTime(doc.publishedAt),
    listed: doc.listed,
    deleted: doc.deleted,
    suspended: doc.suspended,
    visible,
    popularity: popularity(doc),
    guards: doc.guards,
    // A hidden document keeps no searchable text (and stays out of the partial indexes anyway).
    title_tsv: visible ? buildTsvector([{ words: titleWords, weight: "A" }]) : "",
    tsv: visible
      ? buildTsvector([
          { words: titleWords, weight: "A" },
          { words: tagWords, weight: "B" },
          { words: bodyWords, weight: "C" },
        ])
      : "",
    swept_at: sweptAt ? sweptAt.toISOString() : null,
    terms: visible ? [...new Set([...titleWords, ...tagWords])] : [],
    // Every word of the tsvector: query prefixes expand into these (migrations/005).
    words: visible ? [...new Set([...titleWords, ...tagWords, ...bodyWords])] : [],
  };
}

/** An ISO time, or null for anything a timestamptz would refuse (a producer's empty string must not dead-letter its event). */
function validTime(value: string | null): string | null {
  return value !== null && Number.isFinite(Date.parse(value)) ? new Date(value).toISOString() : null;
}

/**
 * Upserts whole documents (rows already locked, or new) with one statement, and adds their words to the lexicon,
 * in one transaction (joining the caller's): a word added moves the lexicon's version (migrations/006, 007) with it.
 */
export async function writeDocs(svc: SearchThis, docs: SearchDoc[], sweptAt?: Date): Promise<void> {
  const rows = docs.map((d) => rowOf(d, sweptAt));
  await svc.db.transaction(async () => {
    // The words first: a search's prefix expansion must know every word of every document it can see.
    let added = await addWords(
      svc,
      "words",
      "word",
      rows.flatMap((r) => r.words as string[]),
    );
    await svc.db.query(
      `INSERT INTO documents (id, type, source_id, title, body, tags, category, category_key, language, owner_id,
         channel_id, path, live, viewers, followers, views, duration_s, published_at, listed, deleted, suspended,
         visible, popularity, guards, title_tsv, tsv, swept_at, updated_at)
       SELECT r.id, r.type, r.source_id, r.title, r.body, r.tags, r.category, r.category_key, r.language, r.owner_id,
         r.channel_id, r.path, r.live, r.viewers, r.followers, r.views, r.duration_s, r.published_at, r.listed,
         r.deleted, r.suspended, r.visible, r.popularity, r.guards, r.title_tsv::tsvector, r.tsv::tsvector,
         r.swept_at, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, type text, source_id text, title text, body text, tags jsonb,
         category text, category_key text, language text, owner_id text, channel_id text, path text, live boolean,
         viewers integer, followers integer, views bigint, duration_s integer, published_at timestamptz,
         listed boolean, deleted boolean, suspended boolean, visible boolean, popularity float8, guards jsonb,
         title_tsv text, tsv text, swept_at timestamptz)
       ORDER BY r.id
       ON CONFLICT (id) DO UPDATE SET
         title = EXCLUDED.title, body = EXCLUDED.body, tags = EXCLUDED.tags, category = EXCLUDED.category,
         category_key = EXCLUDED.category_key, language = EXCLUDED.language, owner_id = EXCLUDED.owner_id,
         channel_id = EXCLUDED.channel_id, path = EXCLUDED.path, live = EXCLUDED.live, viewers = EXCLUDED.viewers,
         followers = EXCLUDED.followers, views = EXCLUDED.views, duration_s = EXCLUDED.duration_s,
         published_at = EXCLUDED.published_at, listed = EXCLUDED.listed, deleted = EXCLUDED.deleted,
         suspended = EXCLUDED.suspended, visible = EXCLUDED.visible, popularity = EXCLUDED.popularity,
         guards = EXCLUDED.guards, title_tsv = EXCLUDED.title_tsv, tsv = EXCLUDED.tsv,
         swept_at = COALESCE(EXCLUDED.swept_at, documents.swept_at), updated_at = now()`,
      [JSON.stringify(rows.map(({ terms: _t, words: _w, ...row }) => row))],
    );
    added += await addWords(
      svc,
      "terms",
      "term",
      rows.flatMap((r) => r.terms as string[]),
    );
    if (added > 0) await bumpLexiconVersion(svc);
  });
}

/**
 * Moves the lexicon's version (the sum of its counters, migrations/007) by bumping a counter no other transaction
 * holds, so concurrent writers adding words do not wait for each other's commits. Only when every counter is held
 * does it wait, on counter 1 (always the same one: a transaction holding counter 1 never waits, so no cycle).
 */
async function bumpLexiconVersion(svc: SearchThis): Promise<void> {
  await svc.db.query(
    `UPDATE lexicon SET generation = generation + 1
      WHERE id = coalesce((SELECT id FROM lexicon ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED), 1)`,
  );
}

/**
 * Inserts the words a lexicon table lacks (in order, so concurrent writers lock alike); how many were new. A new
 * term's deletions (migrations/008) go in with it, written only by the transaction that inserted the term.
 */
async function addWords(svc: SearchThis, table: "words" | "terms", column: "word" | "term", all: string[]) {
  const words = [...new Set(all)].sort();
  if (words.length === 0) return 0;
  const deletions =
    table === "terms"
      ? `, deleted AS (INSERT INTO term_deletions (variant, pos, term)
                         SELECT left(a.w, i) || substr(a.w, i + 2), i, a.w
                           FROM added a, generate_series(0, length(a.w) - 1) AS i ORDER BY 1, 2, 3)`
      : "";
  const [row] = await svc.db.query<{ n: number }>(
    `WITH added AS (INSERT INTO ${table} (${column}) SELECT w FROM unnest($1::text[]) AS w ORDER BY 1
                      ON CONFLICT (${column}) DO NOTHING RETURNING ${column} AS w)${deletions}
     SELECT count(*)::int AS n FROM added`,
    [words],
  );
  return Number(row?.n ?? 0);
}

/** Documents as they are stored now (tests, reindex). */
export async function loadDocs(svc: SearchThis, ids: string[]): Promise<Map<string, SearchDoc>> {
  const rows = await svc.db.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((r) => [r.id, fromRow(r)]));
}
