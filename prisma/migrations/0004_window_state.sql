-- Batch closing of hour and day windows: when each window was last recomputed exactly from
-- stored events. A window whose profiles changed after that (late events) is closed again.
CREATE TABLE window_state (
  model_version_id text NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
  granularity      text NOT NULL CHECK (granularity IN ('hour', 'day')),
  window_start     timestamptz(3) NOT NULL,
  organization_id  text NOT NULL,
  closed_at        timestamptz(3) NOT NULL,
  rows             bigint NOT NULL,
  PRIMARY KEY (model_version_id, granularity, window_start)
);
CREATE INDEX window_state_organization_id_idx ON window_state (organization_id);
