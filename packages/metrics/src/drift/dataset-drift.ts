import { benjaminiHochberg } from './benjamini-hochberg.js';
import {
  computeColumnDrift,
  type ColumnDriftOptions,
  type ColumnDriftResult,
  type ColumnInput,
  type ColumnKind,
  type DriftTestChoice,
} from './column-drift.js';

export interface DatasetColumn {
  name: string;
  kind: ColumnKind;
  reference: ColumnInput;
  current: ColumnInput;
}

/**
 * Test selection and thresholds for a dataset. The most specific setting wins:
 * per column, then per column kind, then global, then the default rule (DESIGN.md §5).
 */
export interface DriftOptions extends DriftTestChoice, Omit<ColumnDriftOptions, 'test' | 'threshold'> {
  perKind?: Partial<Record<ColumnKind, DriftTestChoice>>;
  perColumn?: Record<string, DriftTestChoice>;
  /** Dataset drift when the share of drifted columns is ≥ this (default 0.5). */
  driftShare?: number;
  /** Benjamini–Hochberg correction of p-value tests across columns before comparing to thresholds. */
  falseDiscoveryRate?: 'benjamini-hochberg';
}

export interface DatasetColumnDrift extends ColumnDriftResult {
  column: string;
  kind: ColumnKind;
  /** The BH-adjusted p-value the verdict used, when the correction is on. */
  pValueAdjusted?: number;
}

export interface DatasetDriftResult {
  columns: DatasetColumnDrift[];
  driftedColumns: number;
  driftedShare: number;
  driftShare: number;
  datasetDrift: boolean;
}

export const DEFAULT_DRIFT_SHARE = 0.5;

/** Resolves the test and threshold for one column from DriftOptions. */
export function resolveColumnOptions(column: { name: string; kind: ColumnKind }, options: DriftOptions): ColumnDriftOptions {
  const choice = options.perColumn?.[column.name] ?? options.perKind?.[column.kind] ?? options;
  const resolved: ColumnDriftOptions = {};
  if (choice.test !== undefined) resolved.test = choice.test;
  if (choice.threshold !== undefined) resolved.threshold = choice.threshold;
  if (options.binning !== undefined) resolved.binning = options.binning;
  if (options.smoothing !== undefined) resolved.smoothing = options.smoothing;
  if (options.smallReferenceRows !== undefined) resolved.smallReferenceRows = options.smallReferenceRows;
  return resolved;
}

/**
 * Drift of every column and of the dataset: the share of drifted columns compared with
 * `driftShare`. With `falseDiscoveryRate: 'benjamini-hochberg'`, the p-values of the
 * p-value tests are adjusted together before each is compared with its threshold.
 * @throws MetricsError as computeColumnDrift, for the first column that cannot be tested.
 */
export function computeDatasetDrift(columns: readonly DatasetColumn[], options: DriftOptions = {}): DatasetDriftResult {
  const results: DatasetColumnDrift[] = columns.map((c) => ({
    column: c.name,
    kind: c.kind,
    ...computeColumnDrift(c.reference, c.current, c.kind, resolveColumnOptions(c, options)),
  }));
  return summarizeDatasetDrift(results, options);
}

/**
 * The dataset verdict from per-column results: applies the Benjamini–Hochberg correction
 * (when asked) to the p-value columns in place, then compares the drifted share to driftShare.
 */
export function summarizeDatasetDrift<T extends Pick<DatasetColumnDrift, 'score' | 'scoreKind' | 'threshold' | 'drifted' | 'pValueAdjusted'>>(
  results: T[],
  options: Pick<DriftOptions, 'driftShare' | 'falseDiscoveryRate'> = {},
): Omit<DatasetDriftResult, 'columns'> & { columns: T[] } {
  if (options.falseDiscoveryRate === 'benjamini-hochberg') {
    const pIdx = results.map((r, i) => (r.scoreKind === 'p_value' ? i : -1)).filter((i) => i >= 0);
    const adjusted = benjaminiHochberg(pIdx.map((i) => results[i]!.score));
    pIdx.forEach((i, k) => {
      const r = results[i]!;
      r.pValueAdjusted = adjusted[k]!;
      r.drifted = adjusted[k]! < r.threshold;
    });
  }
  const driftedColumns = results.filter((r) => r.drifted).length;
  const driftShare = options.driftShare ?? DEFAULT_DRIFT_SHARE;
  const driftedShare = results.length === 0 ? 0 : driftedColumns / results.length;
  return { columns: results, driftedColumns, driftedShare, driftShare, datasetDrift: results.length > 0 && driftedShare >= driftShare };
}
