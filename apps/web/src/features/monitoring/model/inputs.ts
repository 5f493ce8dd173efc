import { ESTIMATE_CHART_METRICS, type MetricName, type TimeRange } from '@vigil/contracts';
import type { RouterOutputs } from '~/trpc/react';

/*
 * The inputs of a model page's tab queries, built the same way by its server page (prefetch)
 * and its client component, so both ask with the same query key.
 */

export type Header = RouterOutputs['model']['header'];
export interface Scope {
  modelId: string;
  versionId?: string;
  time: TimeRange;
}

export const headlineOf = (h: Header | undefined): 'f1' | 'rmse' => (h?.status.family === 'regression' ? 'rmse' : 'f1');

/** The prediction and score columns as points name them. */
export const roleColumnsOf = (h: Header | undefined) => (h?.columns ?? []).filter((c) => c.role === 'prediction' || c.role === 'score').map((c) => `${c.role}:${c.name}`);

/** The overview tab: volume, prediction drift, headline performance and label coverage. */
export function overviewSeriesInput(h: Header | undefined, scope: Scope) {
  const metrics: MetricName[] = ['prediction_count', 'drift_score', 'label_coverage', headlineOf(h)];
  return { ...scope, metrics, columns: ['', ...roleColumnsOf(h)] };
}

export const QUALITY_METRICS: MetricName[] = ['missing_share', 'out_of_range_share', 'new_category_share', 'type_mismatch_share'];

/** The data-quality tab: four shares, every column. */
export const qualitySeriesInput = (scope: Scope) => ({ ...scope, metrics: QUALITY_METRICS });

export const CLASSIFICATION_METRICS: MetricName[] = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'];
export const REGRESSION_METRICS: MetricName[] = ['mae', 'rmse', 'mape', 'r2'];

/** The performance tab: the task's metrics, label coverage, delay and counts. */
export function performanceSeriesInput(h: Header | undefined, scope: Scope) {
  const metrics: MetricName[] = [...(h?.status.family === 'regression' ? REGRESSION_METRICS : CLASSIFICATION_METRICS), 'label_coverage', 'label_delay_seconds', 'label_count'];
  return { ...scope, metrics, columns: [''] };
}

export type EstimateMetric = (typeof ESTIMATE_CHART_METRICS)[number];

/** The estimated metric the URL's `estimate` names (default: estimated F1). */
export const estimateMetricOf = (value: string | null | undefined): EstimateMetric =>
  ESTIMATE_CHART_METRICS.find((m) => m === value) ?? ESTIMATE_CHART_METRICS[0];

/** The performance tab's (and the overview tab's) estimate chart. */
export const estimateInput = (scope: Scope, metric: EstimateMetric) => ({ ...scope, metric });

/** The drift tab's chart of one column's score. */
export const columnDriftInput = (scope: Scope, column: string) => ({ ...scope, metrics: ['drift_score', 'drift_detected'] as MetricName[], columns: [column] });

/** The versions tab: the two versions the URL names (`a`, `b`), else the newest two. */
export function versionsCompareInput(h: Header | undefined, modelId: string, time: TimeRange, get: (k: 'a' | 'b') => string | undefined) {
  const versions = h?.model.versions ?? [];
  const a = get('a') ?? versions[0]?.id;
  const b = get('b') ?? versions[1]?.id ?? versions[0]?.id;
  return a && b ? { modelId, a, b, time } : undefined;
}
