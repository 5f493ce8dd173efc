-- The newest event time merged into a model version's profiles, for "last event" on the
-- workspace overview without scanning events: the streaming worker moves it forward in the
-- same transaction as the frontier.
ALTER TABLE stream_state ADD COLUMN last_event_at timestamptz(3);

-- Versions streamed before this column existed: the newest minute they have a profile of.
UPDATE stream_state s SET last_event_at = p.newest
FROM (SELECT model_version_id, max(window_start) AS newest FROM column_profile
      WHERE granularity = 'minute' AND segment = '' AND role = 'prediction' GROUP BY model_version_id) p
WHERE p.model_version_id = s.model_version_id;
