import { MetricName } from './metrics.js';

/** Metric families; alert rules and inhibition depend on them. */
export const MetricCategory = {
  volume: 'volume',
  quality: 'quality',
  drift: 'drift',
  performance: 'performance',
} as const;
export type MetricCategory = (typeof MetricCategory)[keyof typeof MetricCategory];

/** A `Record` over every metric name, so adding a metric without a category fails to compile. */
export const METRIC_CATEGORY: Record<MetricName, MetricCategory> = {
  prediction_count: 'volume',
  label_count: 'volume',
  label_coverage: 'volume',
  label_delay_seconds: 'volume',
  missing_share: 'quality',
  type_mismatch_share: 'quality',
  out_of_range_share: 'quality',
  new_category_share: 'quality',
  distinct_count: 'quality',
  mean: 'quality',
  std: 'quality',
  min: 'quality',
  max: 'quality',
  p50: 'quality',
  p95: 'quality',
  drift_score: 'drift',
  drift_detected: 'drift',
  psi: 'drift',
  jensen_shannon: 'drift',
  wasserstein_normed: 'drift',
  drifted_columns_share: 'drift',
  dataset_drift: 'drift',
  accuracy: 'performance',
  precision: 'performance',
  recall: 'performance',
  f1: 'performance',
  roc_auc: 'performance',
  log_loss: 'performance',
  mae: 'performance',
  rmse: 'performance',
  mape: 'performance',
  r2: 'performance',
  mean_error: 'performance',
  estimated_accuracy: 'performance',
  estimated_precision: 'performance',
  estimated_recall: 'performance',
  estimated_f1: 'performance',
  estimated_roc_auc: 'performance',
  reconstruction_error: 'drift',
};

/** Metrics of the whole model (volume, dataset drift, performance): their column is always ''. */
export const MODEL_LEVEL_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  MetricName.predictionCount,
  MetricName.labelCount,
  MetricName.labelCoverage,
  MetricName.labelDelaySeconds,
  MetricName.driftedColumnsShare,
  MetricName.datasetDrift,
  MetricName.accuracy,
  MetricName.precision,
  MetricName.recall,
  MetricName.f1,
  MetricName.rocAuc,
  MetricName.logLoss,
  MetricName.mae,
  MetricName.rmse,
  MetricName.mape,
  MetricName.r2,
  MetricName.meanError,
  MetricName.estimatedAccuracy,
  MetricName.estimatedPrecision,
  MetricName.estimatedRecall,
  MetricName.estimatedF1,
  MetricName.estimatedRocAuc,
  MetricName.reconstructionError,
]);

/** Performance estimated from events alone: no label coverage requirement applies. */
export const ESTIMATED_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  MetricName.estimatedAccuracy,
  MetricName.estimatedPrecision,
  MetricName.estimatedRecall,
  MetricName.estimatedF1,
  MetricName.estimatedRocAuc,
]);

/** Metrics whose points carry a drift test's verdict (value 0/1, or details naming the test threshold). */
export const DRIFT_VERDICT_METRICS: ReadonlySet<MetricName> = new Set<MetricName>([
  MetricName.driftDetected,
  MetricName.datasetDrift,
  MetricName.driftScore,
  MetricName.reconstructionError,
]);
