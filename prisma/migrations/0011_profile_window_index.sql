-- Profiles by window: the streaming worker and the read side look profiles up by version,
-- granularity, segment and a window range, for every column at once. The unique key leads with
-- the column, so those lookups scanned every profile of the version (a month-long backfill wrote
-- hundreds of thousands and slowed down quadratically).
CREATE INDEX IF NOT EXISTS column_profile_window_idx ON column_profile (model_version_id, granularity, segment, window_start);
