-- Arena tournaments (the seed's Event Service): tournaments, entrants and
-- their members, bracket matches, VOD chapters, live sessions of channels.
CREATE TABLE tournaments (
  id text PRIMARY KEY,
  organizer_id text NOT NULL,
  name text NOT NULL,
  game text NOT NULL,
  category text,
  format text NOT NULL CHECK (format IN ('single_elimination', 'double_elimination', 'round_robin', 'swiss')),
  status text NOT NULL CHECK (status IN ('draft', 'registration_open', 'check_in', 'running', 'completed', 'cancelled')),
  mode text NOT NULL CHECK (mode IN ('solo', 'team')),
  team_size_min integer NOT NULL DEFAULT 1,
  team_size_max integer NOT NULL DEFAULT 1,
  min_entrants integer NOT NULL DEFAULT 2,
  max_entrants integer NOT NULL,
  requires_approval boolean NOT NULL DEFAULT false,
  registration_opens_at timestamptz,
  registration_closes_at timestamptz,
  check_in_opens_at timestamptz,
  check_in_closes_at timestamptz,
  starts_at timestamptz NOT NULL,
  rules text NOT NULL DEFAULT '',
  rules_format text NOT NULL DEFAULT 'plain' CHECK (rules_format IN ('plain', 'markdown')),
  options jsonb NOT NULL DEFAULT '{}',
  seeded jsonb NOT NULL DEFAULT '[]',
  current_round integer NOT NULL DEFAULT 0,
  champion_entrant_id text,
  schedule_version integer NOT NULL DEFAULT 0,
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tournaments_listing_idx ON tournaments (starts_at, id);
CREATE INDEX tournaments_status_idx ON tournaments (status, starts_at, id);
CREATE INDEX tournaments_organizer_idx ON tournaments (organizer_id, starts_at, id);

-- A solo player or a team. user_id is the player or the team's captain.
CREATE TABLE entrants (
  id text PRIMARY KEY,
  tournament_id text NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  display_name text NOT NULL,
  team_name text,
  roster jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'withdrawn', 'rejected', 'no_show', 'disqualified', 'eliminated')),
  -- Order on the waitlist (and of registration): a per-tournament sequence.
  registration_no integer NOT NULL,
  rating integer,
  seed integer,
  checked_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tournament_id, registration_no)
);
CREATE INDEX entrants_tournament_idx ON entrants (tournament_id, status, registration_no);

-- Every user taking part through an active entrant (player, captain, roster):
-- the primary key is what makes a double registration impossible, even under
-- concurrent requests. Rows go when the entrant withdraws or is refused.
CREATE TABLE members (
  id text PRIMARY KEY, -- "<tournamentId>:<userId>"
  tournament_id text NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  entrant_id text NOT NULL REFERENCES entrants (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_entrant_idx ON members (entrant_id);
CREATE INDEX members_user_idx ON members (user_id);

CREATE TABLE matches (
  id text PRIMARY KEY,
  tournament_id text NOT NULL REFERENCES tournaments (id) ON DELETE CASCADE,
  key text NOT NULL,
  bracket text NOT NULL,
  round integer NOT NULL,
  position integer NOT NULL,
  group_no integer,
  sides jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'ready', 'completed', 'bye', 'skipped')),
  winner integer CHECK (winner IN (0, 1)),
  winner_to jsonb,
  loser_to jsonb,
  reset_of text,
  score_a integer,
  score_b integer,
  report_a jsonb,
  report_b jsonb,
  disputed boolean NOT NULL DEFAULT false,
  resolution text,
  scheduled_at timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  channel_id text,
  live_session_id text,
  live_started_at timestamptz,
  video_id text,
  version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tournament_id, key)
);
CREATE INDEX matches_channel_idx ON matches (channel_id) WHERE channel_id IS NOT NULL;
CREATE INDEX matches_session_idx ON matches (live_session_id) WHERE live_session_id IS NOT NULL;

-- Where a match is in a VOD: "watch the final" jumps to start_s.
CREATE TABLE chapters (
  id text PRIMARY KEY, -- "<videoId>:<matchId>"
  video_id text NOT NULL,
  match_id text NOT NULL,
  tournament_id text NOT NULL,
  title text NOT NULL,
  start_s double precision NOT NULL,
  end_s double precision NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chapters_video_idx ON chapters (video_id, start_s);

-- Live sessions of channels, as stream.started / stream.ended told us:
-- a match assigned to a channel that is already live links at once.
CREATE TABLE channel_sessions (
  id text PRIMARY KEY, -- session id
  channel_id text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_sessions_channel_idx ON channel_sessions (channel_id, started_at DESC);
