-- The search index (services/content/search). Text is folded (accents, case)
-- by the service before it gets here, identically on PostgreSQL and PGlite;
-- tsvectors are built by the service too (query-terms.ts), so both sides of
-- a match use one tokenizer. pg_trgm finds spelling corrections in `terms`.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE documents (
  id text PRIMARY KEY,
  type text NOT NULL CHECK (type IN ('channel', 'stream', 'video', 'user', 'tournament', 'post')),
  source_id text NOT NULL,
  title text NOT NULL DEFAULT '',
  body text NOT NULL DEFAULT '',
  tags jsonb NOT NULL DEFAULT '[]',
  category text,
  category_key text,
  language text,
  owner_id text,
  channel_id text,
  path text,
  live boolean NOT NULL DEFAULT false,
  viewers integer NOT NULL DEFAULT 0,
  followers integer NOT NULL DEFAULT 0,
  views bigint NOT NULL DEFAULT 0,
  duration_s integer,
  published_at timestamptz,
  listed boolean NOT NULL DEFAULT false,
  deleted boolean NOT NULL DEFAULT false,
  suspended boolean NOT NULL DEFAULT false,
  visible boolean NOT NULL DEFAULT false,
  popularity double precision NOT NULL DEFAULT 0,
  guards jsonb NOT NULL DEFAULT '{}',
  title_tsv tsvector NOT NULL DEFAULT ''::tsvector,
  tsv tsvector NOT NULL DEFAULT ''::tsvector,
  -- The reindex sweep that last saw the document (null: only events did).
  swept_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Only visible documents are ever searched: hidden ones and tombstones stay out of the indexes.
CREATE INDEX documents_tsv_idx ON documents USING gin (tsv) WHERE visible;
CREATE INDEX documents_title_tsv_idx ON documents USING gin (title_tsv) WHERE visible;
CREATE INDEX documents_rank_idx ON documents (popularity DESC, id) WHERE visible;
CREATE INDEX documents_type_rank_idx ON documents (type, live, popularity DESC) WHERE visible;
CREATE INDEX documents_owner_idx ON documents (owner_id);
CREATE INDEX documents_channel_idx ON documents (channel_id);

-- Words of titles, tags and categories: the lexicon spelling corrections come from.
CREATE TABLE terms (
  term text COLLATE "C" PRIMARY KEY
);
CREATE INDEX terms_trgm_idx ON terms USING gin (term gin_trgm_ops);
