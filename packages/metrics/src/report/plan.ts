import { resolveColumnOptions, type DriftOptions } from '../drift/dataset-drift.js';
import type { ColumnDriftOptions } from '../drift/column-drift.js';
import { MetricsError } from '../errors.js';
import type { Task } from './report.types.js';
import { inferColumnType, tableRows, type ColumnValues, type ReportColumnType, type Table } from './table.js';

/** Categories (or per-value bins) kept in a column's distribution before the rest become "other". */
export const DISTRIBUTION_CATEGORY_LIMIT = 20;

export interface ReportOptions extends DriftOptions {
  /** Ground-truth column: with a prediction or scores, reported under performance. */
  target?: string;
  /** Predicted label (classification) or value (regression). */
  prediction?: string;
  /** The positive-class probability column, or one probability column per class named by its label. */
  scores?: string | readonly string[];
  /** Inferred from the target when not given (see inferTask). */
  task?: Task;
  /** Columns forced to numerical / categorical instead of inferred. */
  numerical?: readonly string[];
  categorical?: readonly string[];
  /** Categories kept per column in the distribution (default 20). */
  distributionCategories?: number;
  /**
   * Estimate performance without labels (CBPE): needs target, prediction and scores in the
   * reference; the current data needs prediction and scores (a target there is ignored for the
   * estimate and reported as realized performance).
   */
  estimatePerformance?: boolean;
  /** Multivariate drift by PCA reconstruction error over the feature columns. */
  multivariate?: boolean;
  /** Reference rows per chunk for the multivariate thresholds (default: reference rows / 10). */
  referenceChunkSize?: number;
}

/** One feature column's work: self-contained, so it can run on another thread. */
export interface ColumnTask {
  name: string;
  type: ReportColumnType;
  reference: ColumnValues;
  current: ColumnValues;
  drift: ColumnDriftOptions;
  distributionCategories: number;
}

export interface PerformanceRoles {
  task?: Task;
  target: string;
  prediction: string | null;
  scores: string[] | null;
}

export interface ReportPlan {
  referenceRows: number;
  currentRows: number;
  tasks: ColumnTask[];
  /** Realized performance: needs the target in the current data. */
  performance: PerformanceRoles | null;
  /** Estimated performance (CBPE). */
  estimate: PerformanceRoles | null;
  /** Multivariate drift with its reference chunk size. */
  multivariate: { chunkSize: number } | null;
  driftShare?: number;
  falseDiscoveryRate?: 'benjamini-hochberg';
  warnings: string[];
}

function scoresList(scores: ReportOptions['scores']): string[] | null {
  if (scores === undefined) return null;
  const list = typeof scores === 'string' ? [scores] : [...scores];
  return list.length > 0 ? list : null;
}

/**
 * Decides what the report computes: feature columns (every reference column except the
 * target/prediction/scores columns) with their types and drift options, and the
 * performance roles. A column is numerical when all its non-missing values in both tables
 * are numbers, unless `numerical`/`categorical` say otherwise.
 * @throws MetricsError on a column named in the options but absent, a column named twice,
 * a feature missing from the current table, or tables whose columns differ in length.
 */
export function planReport(reference: Table, current: Table, options: ReportOptions = {}): ReportPlan {
  const referenceRows = tableRows(reference, 'reference');
  const currentRows = tableRows(current, 'current');
  const warnings: string[] = [];
  const scores = scoresList(options.scores);
  const roles = [options.target, options.prediction, ...(scores ?? [])].filter((c): c is string => c !== undefined);
  const seen = new Set<string>();
  for (const c of roles) {
    if (seen.has(c)) throw new MetricsError(`column '${c}' is given more than one role`);
    seen.add(c);
    // Estimating performance is for data without labels: the target may be absent there.
    if (!(c in current) && !(options.estimatePerformance && c === options.target)) throw new MetricsError(`column '${c}' is not in the current data`);
  }
  let estimate: PerformanceRoles | null = null;
  if (options.estimatePerformance) {
    if (options.target === undefined || options.prediction === undefined || scores === null) {
      throw new MetricsError('estimating performance needs a target, a prediction and scores columns (--target, --prediction, --scores)');
    }
    if (!(options.target in reference)) throw new MetricsError(`estimating performance needs labels: the reference has no target column '${options.target}'`);
    for (const c of [options.prediction, ...scores]) {
      if (!(c in reference)) throw new MetricsError(`estimating performance: the reference has no column '${c}'`);
    }
    if (options.task === 'regression') throw new MetricsError('performance estimation (CBPE) is for classifiers, not regression');
    estimate = { target: options.target, prediction: options.prediction, scores, ...(options.task ? { task: options.task } : {}) };
  }
  const forced = new Map<string, ReportColumnType>();
  for (const [type, names] of [
    ['numerical', options.numerical ?? []],
    ['categorical', options.categorical ?? []],
  ] as const) {
    for (const c of names) {
      if (!(c in reference)) throw new MetricsError(`column '${c}' (--${type}) is not in the reference data`);
      if (forced.has(c)) throw new MetricsError(`column '${c}' is declared both numerical and categorical`);
      if (seen.has(c)) throw new MetricsError(`column '${c}' is a target/prediction/scores column, not a feature`);
      forced.set(c, type);
    }
  }

  const tasks: ColumnTask[] = [];
  for (const name of Object.keys(reference)) {
    if (seen.has(name)) continue;
    const cur = current[name];
    if (cur === undefined) throw new MetricsError(`column '${name}' is in the reference but not in the current data`);
    const ref = reference[name]!;
    const type =
      forced.get(name) ?? (inferColumnType(ref) === 'numerical' && inferColumnType(cur) === 'numerical' ? 'numerical' : 'categorical');
    tasks.push({
      name,
      type,
      reference: ref,
      current: cur,
      drift: resolveColumnOptions({ name, kind: type }, options),
      distributionCategories: options.distributionCategories ?? DISTRIBUTION_CATEGORY_LIMIT,
    });
  }
  const extra = Object.keys(current).filter((c) => !(c in reference) && !seen.has(c));
  if (extra.length > 0) warnings.push(`columns only in the current data are not compared: ${extra.join(', ')}`);

  let performance: PerformanceRoles | null = null;
  // A target absent from the current data (only allowed when estimating): no labels yet, no realized performance.
  const unlabelled = options.target !== undefined && !(options.target in current);
  if (!unlabelled && options.target !== undefined && (options.prediction !== undefined || scores !== null)) {
    performance = { target: options.target, prediction: options.prediction ?? null, scores, ...(options.task ? { task: options.task } : {}) };
  } else if (!unlabelled && (options.target !== undefined || options.prediction !== undefined || scores !== null)) {
    warnings.push('performance needs a target and a prediction or scores column; it is not reported');
  }
  let multivariate: ReportPlan['multivariate'] = null;
  if (options.multivariate) {
    const chunkSize = options.referenceChunkSize ?? Math.max(1, Math.floor(referenceRows / 10));
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new MetricsError(`reference chunk size must be a positive integer, got ${chunkSize}`);
    if (chunkSize > referenceRows) throw new MetricsError(`reference chunk size ${chunkSize} exceeds the reference's ${referenceRows} rows`);
    if (tasks.length === 0) throw new MetricsError('multivariate drift needs at least one feature column');
    multivariate = { chunkSize };
  }
  return {
    referenceRows,
    currentRows,
    tasks,
    performance,
    estimate,
    multivariate,
    ...(options.driftShare !== undefined ? { driftShare: options.driftShare } : {}),
    ...(options.falseDiscoveryRate !== undefined ? { falseDiscoveryRate: options.falseDiscoveryRate } : {}),
    warnings,
  };
}
