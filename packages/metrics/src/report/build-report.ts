import { summarizeDatasetDrift, type DatasetColumnDrift } from '../drift/dataset-drift.js';
import { computeColumnReport, num } from './column-report.js';
import { computePerformanceEstimate } from './estimate-report.js';
import { computeMultivariateDrift } from './multivariate-report.js';
import { computePerformance } from './performance-report.js';
import { planReport, type ReportOptions, type ReportPlan } from './plan.js';
import type { ColumnReport, ColumnDriftReport, MultivariateDriftReport, PerformanceEstimateReport, PerformanceReport, Report } from './report.types.js';
import type { Table } from './table.js';

/**
 * The drift, data quality and performance report of `current` against `reference`
 * (the ad hoc mode of DESIGN.md §5): one entry per feature column with the selected drift
 * test, PSI/Jensen–Shannon/normed Wasserstein/Hellinger on the report's binning, current
 * data quality and reference-vs-current distributions; the dataset verdict; and performance
 * when a target with a prediction or scores is given.
 * Runs on one thread; `@vigil/metrics/node` has a version that spreads columns over cores.
 * @throws MetricsError on inconsistent tables or options (see planReport).
 */
export function buildReport(reference: Table, current: Table, options: ReportOptions = {}): Report {
  const plan = planReport(reference, current, options);
  const columns = plan.tasks.map(computeColumnReport);
  const performance = plan.performance ? computePerformance(plan.performance, reference, current, plan.warnings) : undefined;
  return assembleReport(plan, columns, performance, computeEstimates(plan, reference, current));
}

export interface Estimates {
  performanceEstimate?: PerformanceEstimateReport;
  multivariateDrift?: MultivariateDriftReport;
}

/** The label-free performance estimate and the multivariate drift, when the plan asks for them. */
export function computeEstimates(plan: ReportPlan, reference: Table, current: Table): Estimates {
  return {
    ...(plan.estimate ? { performanceEstimate: computePerformanceEstimate(plan.estimate, reference, current, plan.warnings) } : {}),
    ...(plan.multivariate ? { multivariateDrift: computeMultivariateDrift(plan.tasks, plan.multivariate.chunkSize) } : {}),
  };
}

/**
 * Puts column results (computed anywhere, in plan order) together: applies the optional
 * Benjamini–Hochberg correction across p-value columns and the dataset drift verdict.
 */
export function assembleReport(plan: ReportPlan, columns: ColumnReport[], performance?: PerformanceReport, estimates: Estimates = {}): Report {
  const warnings = [...plan.warnings];
  for (const c of columns) {
    if (!c.drift) warnings.push(`column '${c.name}': drift not computed, the reference or current data has no value in it`);
  }
  const tested = columns.map((c) => c.drift).filter((d): d is ColumnDriftReport => d !== null);
  // The correction needs a score for every tested column; a null score (NaN p-value) counts as 1.
  const scored = tested.map((d): Pick<DatasetColumnDrift, 'score' | 'scoreKind' | 'threshold' | 'drifted' | 'pValueAdjusted'> => ({
    score: d.score ?? (d.scoreKind === 'p_value' ? 1 : 0),
    scoreKind: d.scoreKind,
    threshold: d.threshold,
    drifted: d.drifted,
  }));
  const dataset = summarizeDatasetDrift(scored, plan);
  tested.forEach((d, i) => {
    d.drifted = dataset.columns[i]!.drifted;
    const adjusted = dataset.columns[i]!.pValueAdjusted;
    if (adjusted !== undefined) d.pValueAdjusted = num(adjusted);
  });
  return {
    reference: { rows: plan.referenceRows },
    current: { rows: plan.currentRows },
    columns,
    dataset: {
      columns: tested.length,
      driftedColumns: dataset.driftedColumns,
      driftedShare: dataset.driftedShare,
      driftShare: dataset.driftShare,
      drifted: dataset.datasetDrift,
    },
    ...(performance ? { performance } : {}),
    ...estimates,
    warnings,
  };
}
