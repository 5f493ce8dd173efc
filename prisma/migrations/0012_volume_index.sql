-- Prediction volume per model over a range (the workspace overview's sparklines, the model
-- header): one small covering index over the model-level prediction counts only, read without
-- touching the table. With 100 models × 30 days of hourly points the overview's volume query
-- read 30,000 pages of metric_point through the general index and dropped the segment rows.
CREATE INDEX IF NOT EXISTS metric_point_volume_idx ON metric_point (organization_id, model_id, granularity, window_start)
  INCLUDE (model_version_id, value)
  WHERE metric = 'prediction_count' AND segment = '' AND column_name = '';
