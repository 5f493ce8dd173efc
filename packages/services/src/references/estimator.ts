import { fitEstimator, type EstimatorRoles, type FittedEstimator } from '@vigil/metrics';
import { withLabelColumn } from '../windows/window-report.js';
import { buildTable, ROLE_COLUMN, type ColumnDef, type RawRow } from '../windows/window-table.js';

/**
 * Reference rows the estimators are fitted on, at most: the first rows of the reference (an
 * upload's order, a time range's event order). Bounds the worker's memory for large references.
 */
export const MAX_ESTIMATOR_ROWS = 200_000;

/**
 * The table columns the estimators read, named as `buildTable` names them, so a reference and a
 * window of events are read alike: the label, the prediction, the score columns and the features.
 */
export function estimatorRoles(columns: readonly ColumnDef[]): EstimatorRoles {
  const all = withLabelColumn([...columns]);
  const features = all.filter((c) => c.role === 'feature');
  const featureNames = new Set(features.map((c) => c.name));
  return {
    target: ROLE_COLUMN.label,
    prediction: ROLE_COLUMN.prediction,
    // buildTable leaves out a class's score column that a feature's name shadows.
    scores: all.filter((c) => c.role === 'score' && (c.name === 'score' || !featureNames.has(c.name))).map((c) => ROLE_COLUMN.score(c.name)),
    numerical: features.filter((c) => c.kind === 'numerical').map((c) => c.name),
    categorical: features.filter((c) => c.kind !== 'numerical').map((c) => c.name),
  };
}

/** Fits CBPE and the PCA pipeline on reference rows (what cannot be fitted is null, with a note). */
export function fitReferenceEstimator(columns: readonly ColumnDef[], rows: Iterable<RawRow>): FittedEstimator {
  const all = withLabelColumn([...columns]);
  const { table, rows: n } = buildTable(all, rows);
  return fitEstimator(table, n, estimatorRoles(all));
}
