-- Spelling corrections read the lexicon by trigram similarity with `term % word`
-- (pg_trgm's GIN index: the word's trigrams' posting lists), not by GiST
-- nearest-neighbour order: on the 100k-document bench lexicon (28k words) the
-- GIN lookup costs ~0.3 ms of server CPU where the GiST KNN scan cost ~19 ms
-- (a GiST trigram signature is lossy: the scan visits most of the index). With
-- both indexes the planner picks GiST for `%`, so it goes.
CREATE INDEX terms_trgm_idx ON terms USING gin (term gin_trgm_ops);
DROP INDEX terms_trgm_gist_idx;

-- Every word of every document's tsvector (title, tags, category, description):
-- a query word's prefix ("spee") is expanded here into the indexed words it
-- stands for ('speed' | 'speedrun'), which the GIN index intersects by posting
-- lists, 3x cheaper than a prefix (`'spee':*`) search, which collects every
-- match of each prefix into a bitmap before intersecting. Words are added
-- before the documents that use them and never removed (a word no document
-- uses any more matches nothing), so a snapshot that sees a document sees its
-- words.
CREATE TABLE words (
  word text COLLATE "C" PRIMARY KEY
);
INSERT INTO words (word)
  SELECT DISTINCT w FROM documents d, unnest(tsvector_to_array(d.tsv)) AS w ORDER BY 1;
