-- The users service's older per-user switches (profiles.notifications:
-- liveAlerts, followerAlerts, push) set before notification preferences
-- existed, copied once into them; later changes arrive as the durable
-- user.preferences.changed (legacy-preferences.ts). Same database in every
-- supported setup; skipped when users lives elsewhere. Only switches turned
-- off were ever stored as false.
DO $$
BEGIN
  IF to_regclass('users.profiles') IS NOT NULL THEN
    INSERT INTO preferences (user_id, type, in_app, mobile, web)
      SELECT id, 'stream.live', false, false, false FROM users.profiles
       WHERE notifications->>'liveAlerts' = 'false'
      ON CONFLICT (user_id, type) DO NOTHING;
    INSERT INTO preferences (user_id, type, in_app, mobile, web)
      SELECT id, 'channel.follower', false, false, false FROM users.profiles
       WHERE notifications->>'followerAlerts' = 'false'
      ON CONFLICT (user_id, type) DO NOTHING;
    -- Pushes off: no phone or browser push of any type; in-app as each type's default.
    INSERT INTO preferences (user_id, type, in_app, mobile, web)
      SELECT p.id, t.type, t.in_app, false, false
        FROM users.profiles p
        CROSS JOIN (VALUES ('stream.live', true), ('schedule.starting', false), ('video.new', true),
                           ('post.new', true), ('channel.follower', true), ('video.comment', true),
                           ('comment.reply', true), ('post.comment', true), ('tournament.registration', true),
                           ('tournament.match', true), ('tournament.cancelled', true),
                           ('report.resolved', true), ('account.suspended', true),
                           ('account.reinstated', true)) AS t(type, in_app)
       WHERE p.notifications->>'push' = 'false'
      ON CONFLICT (user_id, type) DO UPDATE SET mobile = false, web = false;
  END IF;
END $$;
