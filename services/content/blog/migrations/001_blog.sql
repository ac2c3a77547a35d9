CREATE TABLE posts (
  id text PRIMARY KEY,
  -- 'site' or the channel id.
  blog_id text NOT NULL,
  channel_id text,
  author_id text NOT NULL,
  author_name text NOT NULL,
  title text NOT NULL,
  slug text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body_markdown text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  rendered_with text NOT NULL,
  cover_key text,
  category text,
  tags jsonb NOT NULL DEFAULT '[]',
  kind text NOT NULL CHECK (kind IN ('news', 'review', 'guide')),
  review_score double precision CHECK (review_score IS NULL OR (review_score >= 0 AND review_score <= 10)),
  status text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'unlisted')),
  published_at timestamptz,
  scheduled_at timestamptz,
  comments_closed boolean NOT NULL DEFAULT false,
  view_count integer NOT NULL DEFAULT 0,
  comment_count integer NOT NULL DEFAULT 0,
  revision integer NOT NULL DEFAULT 1,
  version integer NOT NULL DEFAULT 1,
  -- Last change a reader or feed can see (views and comment counts leave it alone).
  changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (blog_id, slug)
);
-- Public listings and feeds: newest published first, per blog or across.
CREATE INDEX posts_public_idx ON posts (published_at DESC, id DESC) WHERE status = 'published' AND visibility = 'public';
CREATE INDEX posts_blog_public_idx ON posts (blog_id, published_at DESC, id DESC) WHERE status = 'published' AND visibility = 'public';
CREATE INDEX posts_blog_status_idx ON posts (blog_id, status, changed_at DESC, id DESC);
CREATE INDEX posts_tags_idx ON posts USING gin (tags jsonb_path_ops);

-- Every slug a post had in its blog; old ones redirect to the current one.
CREATE TABLE post_slugs (
  id text PRIMARY KEY,
  blog_id text NOT NULL,
  slug text NOT NULL,
  post_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (blog_id, slug)
);
CREATE INDEX post_slugs_post_idx ON post_slugs (post_id);

CREATE TABLE post_revisions (
  id text PRIMARY KEY,
  post_id text NOT NULL,
  revision integer NOT NULL,
  editor_id text NOT NULL,
  title text NOT NULL,
  summary text NOT NULL DEFAULT '',
  body_markdown text NOT NULL DEFAULT '',
  category text,
  tags jsonb NOT NULL DEFAULT '[]',
  kind text NOT NULL,
  review_score double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, revision)
);

-- Durable timers for scheduled publication: any node's poller fires a due
-- one under a lease; an expired lease means its node died mid-fire.
CREATE TABLE publish_timers (
  id text PRIMARY KEY,
  post_id text NOT NULL,
  due_at timestamptz NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'done', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX publish_timers_due_idx ON publish_timers (due_at) WHERE state = 'pending';
CREATE INDEX publish_timers_post_idx ON publish_timers (post_id);

-- Editors a channel owner names for the channel's blog.
CREATE TABLE blog_editors (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  added_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel_id, user_id)
);

CREATE TABLE post_views (
  id text PRIMARY KEY,
  post_id text NOT NULL,
  viewer_key text NOT NULL,
  last_counted_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_views_post_idx ON post_views (post_id);
CREATE INDEX post_views_counted_idx ON post_views (last_counted_at);

CREATE TABLE post_comments (
  id text PRIMARY KEY,
  post_id text NOT NULL,
  blog_id text NOT NULL,
  channel_id text,
  author_id text NOT NULL,
  author_name text NOT NULL,
  parent_id text,
  root_id text,
  depth integer NOT NULL DEFAULT 0,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'deleted', 'removed')),
  edited_at timestamptz,
  moderated_by text,
  reply_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_comments_thread_idx ON post_comments (post_id, root_id, created_at, id);
