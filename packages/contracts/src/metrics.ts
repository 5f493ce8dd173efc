import { z } from 'zod';

/** Canonical metric names (DESIGN.md §5): part of the read API, BI views and alert rules. */
export const MetricName = {
  // volume
  predictionCount: 'prediction_count',
  labelCount: 'label_count',
  labelCoverage: 'label_coverage',
  labelDelaySeconds: 'label_delay_seconds',
  // data quality per column
  missingShare: 'missing_share',
  typeMismatchShare: 'type_mismatch_share',
  outOfRangeShare: 'out_of_range_share',
  newCategoryShare: 'new_category_share',
  distinctCount: 'distinct_count',
  mean: 'mean',
  std: 'std',
  min: 'min',
  max: 'max',
  p50: 'p50',
  p95: 'p95',
  // drift per column
  driftScore: 'drift_score',
  driftDetected: 'drift_detected',
  psi: 'psi',
  jensenShannon: 'jensen_shannon',
  wassersteinNormed: 'wasserstein_normed',
  // dataset
  driftedColumnsShare: 'drifted_columns_share',
  datasetDrift: 'dataset_drift',
  // performance
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  rocAuc: 'roc_auc',
  logLoss: 'log_loss',
  mae: 'mae',
  rmse: 'rmse',
  mape: 'mape',
  r2: 'r2',
  meanError: 'mean_error',
  // estimated performance, before labels arrive (CBPE; details: EstimateDetails)
  estimatedAccuracy: 'estimated_accuracy',
  estimatedPrecision: 'estimated_precision',
  estimatedRecall: 'estimated_recall',
  estimatedF1: 'estimated_f1',
  estimatedRocAuc: 'estimated_roc_auc',
  // multivariate drift (PCA reconstruction error; details: ReconstructionDetails)
  reconstructionError: 'reconstruction_error',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];
export const METRIC_NAMES = Object.values(MetricName) as [MetricName, ...MetricName[]];
export const MetricNameSchema = z.enum(METRIC_NAMES);

export const Granularity = { minute: 'minute', hour: 'hour', day: 'day', rolling1h: 'rolling_1h' } as const;
export type Granularity = (typeof Granularity)[keyof typeof Granularity];
export const GranularitySchema = z.enum(['minute', 'hour', 'day', 'rolling_1h']);

/**
 * How long after an hour or day ends before it is complete: the worker then recomputes it
 * exactly from stored events, and alert evaluation and backtests treat it as ready even when
 * that recompute has not run. Every process reads WINDOW_GRACE_MS with this default.
 */
export const DEFAULT_WINDOW_GRACE_MS = 5 * 60_000;

export const ColumnKind = { numerical: 'numerical', categorical: 'categorical', boolean: 'boolean' } as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];
export const ColumnKindSchema = z.enum(['numerical', 'categorical', 'boolean']);

export const ColumnRole = { feature: 'feature', prediction: 'prediction', score: 'score', label: 'label' } as const;
export type ColumnRole = (typeof ColumnRole)[keyof typeof ColumnRole];
export const ColumnRoleSchema = z.enum(['feature', 'prediction', 'score', 'label']);

/** The column kind a single value suggests; null (missing) suggests none. */
export function columnKindOf(value: unknown): ColumnKind | null {
  switch (typeof value) {
    case 'number':
      return 'numerical';
    case 'string':
      return 'categorical';
    case 'boolean':
      return 'boolean';
    default:
      return null;
  }
}

/**
 * Details of an `estimated_*` point. `lower`/`upper`: the estimate ± 3 sampling errors, clipped to
 * [0, 1] (accuracy and F1; other estimates carry none). `thresholdLower`/`thresholdUpper`: the band
 * the realized metric kept on the reference's chunks (mean ± 3 std), which alert rules compare the
 * estimate against.
 */
export const EstimateDetailsSchema = z.object({
  samplingError: z.number().nullable().optional(),
  lower: z.number().nullable().optional(),
  upper: z.number().nullable().optional(),
  thresholdLower: z.number().nullable().optional(),
  thresholdUpper: z.number().nullable().optional(),
  /** Rows the estimate rests on. */
  rows: z.number().optional(),
  /** 'binary' or 'multiclass' (macro averages). */
  task: z.string().optional(),
  /** estimated_roc_auc of a streaming window: bound on |exact − approximation|; 0 once the closed window is recomputed exactly. */
  maxError: z.number().optional(),
});
export type EstimateDetails = z.infer<typeof EstimateDetailsSchema>;

/** Details of a `reconstruction_error` point: the reference thresholds and the verdict. */
export const ReconstructionDetailsSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  drifted: z.boolean(),
  samplingError: z.number().nullable().optional(),
  /** Rows of the window. */
  rows: z.number().optional(),
});
export type ReconstructionDetails = z.infer<typeof ReconstructionDetailsSchema>;
