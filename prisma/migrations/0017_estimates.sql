-- Performance estimation (CBPE) and multivariate drift (PCA reconstruction error).
--
-- reference_datasets.estimator: the estimators fitted on a labelled reference with its profile
-- (calibrators, sampling-error components, realized-metric bands over reference chunks, the PCA
-- pipeline and its thresholds), as JSON. NULL for references built before this migration and
-- for references without labels, scores or features.
ALTER TABLE reference_datasets ADD COLUMN IF NOT EXISTS estimator jsonb;

-- The mergeable sums of each window's estimates (expected confusion sums, reconstruction error
-- sums, score histograms), per model version, segment, granularity and window: the streaming
-- path merges into them as column_profile, and hour, day and rolling windows are sums of them.
CREATE TABLE IF NOT EXISTS estimate_state (
  id               bigserial PRIMARY KEY,
  organization_id  text NOT NULL,
  project_id       text NOT NULL,
  model_id         text NOT NULL,
  model_version_id text NOT NULL,
  segment          text NOT NULL DEFAULT '',
  granularity      text NOT NULL CHECK (granularity IN ('minute', 'hour', 'day')),
  window_start     timestamptz(3) NOT NULL,
  state            jsonb NOT NULL,
  event_count      bigint NOT NULL DEFAULT 0,
  updated_at       timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (model_version_id, segment, granularity, window_start)
);
CREATE INDEX IF NOT EXISTS estimate_state_organization_id_idx ON estimate_state (organization_id);
