import { MetricName } from '@vigil/contracts';

/*
 * Which performance metric stands for a model on the overview and its pages: F1 for
 * classifiers (macro-averaged for multiclass), RMSE for regressors. A model whose task is not
 * set is judged by the metrics it has.
 */

export type TaskFamily = 'classification' | 'regression';

export interface Headline {
  metric: string;
  higherIsBetter: boolean;
}

export const HEADLINE: Record<TaskFamily, Headline> = {
  classification: { metric: MetricName.f1, higherIsBetter: true },
  regression: { metric: MetricName.rmse, higherIsBetter: false },
};

/** Every performance metric a task family has, in the order its charts show them. */
export const PERFORMANCE_METRICS: Record<TaskFamily, readonly string[]> = {
  classification: [MetricName.accuracy, MetricName.precision, MetricName.recall, MetricName.f1, MetricName.rocAuc],
  regression: [MetricName.mae, MetricName.rmse, MetricName.mape, MetricName.r2],
};

/** Metrics where less is better. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([MetricName.mae, MetricName.rmse, MetricName.mape, MetricName.logLoss]);

/** The task family of a model: from its task when set, else from the metrics it has points of. */
export function taskFamily(task: string | null, has: (metric: string) => boolean): TaskFamily | null {
  if (task === 'binary' || task === 'multiclass') return 'classification';
  if (task === 'regression') return 'regression';
  if (has(MetricName.f1) || has(MetricName.accuracy)) return 'classification';
  if (has(MetricName.rmse) || has(MetricName.mae)) return 'regression';
  return null;
}

/**
 * A window whose performance rests on fewer labels than this is provisional: charts mark it, and
 * the overview does not judge a model on it.
 */
export const MIN_LABELS = 30;
