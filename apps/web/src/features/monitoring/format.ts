/** Numbers, shares and times as the monitoring pages show them. */

export { duration, metricValue, when } from '~/features/alerting/format';

export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(x !== 0 && Math.abs(x) < 0.001 ? 3 : digits)} %`;
}

/** A count with thousands separators: 12,345; 1.2M past a million. */
export function count(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  return Math.round(x).toLocaleString('en');
}

/** A metric value: 3 significant digits, scientific for tiny p-values. */
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-3) return x.toExponential(1);
  if (Math.abs(x) >= 1000) return x.toFixed(0);
  return String(Number(x.toPrecision(3)));
}

/** "5 min ago", "3 h ago", "2 d ago". */
export function ago(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return 'never';
  const d = Math.max(0, now - ms);
  if (d < 60_000) return 'just now';
  if (d < 3_600_000) return `${Math.round(d / 60_000)} min ago`;
  if (d < 48 * 3_600_000) return `${Math.round(d / 3_600_000)} h ago`;
  return `${Math.round(d / 86_400_000)} d ago`;
}

/** A bucket's start as an axis or tooltip label: the time for sub-day buckets, the date for days. */
export function bucketLabel(t: number, bucketMs: number): string {
  const d = new Date(t);
  const day = d.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
  return bucketMs >= 86_400_000 ? `${day}, ${d.getUTCFullYear()}` : `${day} ${d.toISOString().slice(11, 16)}`;
}

/** Human names of the metrics the pages chart. */
export const METRIC_LABEL: Record<string, string> = {
  prediction_count: 'Predictions',
  label_count: 'Labels',
  label_coverage: 'Label coverage',
  label_delay_seconds: 'Label delay',
  missing_share: 'Missing',
  type_mismatch_share: 'Type mismatches',
  out_of_range_share: 'Out of range',
  new_category_share: 'New categories',
  drift_score: 'Drift score',
  drift_detected: 'Drifted',
  drifted_columns_share: 'Drifted features',
  dataset_drift: 'Dataset drift',
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  roc_auc: 'ROC AUC',
  log_loss: 'Log loss',
  mae: 'MAE',
  rmse: 'RMSE',
  mape: 'MAPE',
  r2: 'R²',
  mean_error: 'Mean error',
  estimated_accuracy: 'Estimated accuracy',
  estimated_precision: 'Estimated precision',
  estimated_recall: 'Estimated recall',
  estimated_f1: 'Estimated F1',
  estimated_roc_auc: 'Estimated ROC AUC',
  reconstruction_error: 'Reconstruction error',
};

export const metricLabel = (m: string) => METRIC_LABEL[m] ?? m;

/** A column as people name it: features by name, roles by role. */
export function columnLabel(column: string): string {
  if (column === 'prediction:prediction') return 'prediction';
  if (column === 'score:score') return 'score';
  if (column.startsWith('score:')) return `score (${column.slice(6)})`;
  return column;
}

/** Drift tests as the docs name them. */
export const DRIFT_TEST_LABEL: Record<string, string> = {
  ks: 'Kolmogorov–Smirnov',
  chisquare: 'chi-square',
  z: 'Z-test (proportions)',
  wasserstein: 'Wasserstein (normed)',
  wasserstein_raw: 'Wasserstein',
  jensenshannon: 'Jensen–Shannon',
  psi: 'PSI',
  kl_div: 'KL divergence',
  hellinger: 'Hellinger',
  tvd: 'total variation',
  anderson: 'Anderson–Darling',
  cramer_von_mises: 'Cramér–von Mises',
  mannw: 'Mann–Whitney U',
  energy_distance: 'energy distance',
  t_test: 't-test',
  welch_t_test: 'Welch t-test',
  fisher_exact: 'Fisher exact',
  g_test: 'G-test',
  chi2_contingency: 'chi-square contingency',
};

export const testLabel = (t: string | null | undefined) => (t ? (DRIFT_TEST_LABEL[t] ?? t) : '—');

/** A duration on an axis, short enough for its 50 px: "45 s", "12 min", "1.5 h", "3 d". */
export function shortDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Number((seconds / 3600).toPrecision(2))} h`;
  return `${Number((seconds / 86400).toPrecision(2))} d`;
}
