import type { DriftTestName, ScoreKind } from '../drift/column-drift.js';
import type { Label } from '../performance/labels.js';
import type { ReportColumnType } from './table.js';

/** In a report, null stands for a value that is undefined (NaN) or not finite. */
export type Num = number | null;

export interface ColumnDriftReport {
  test: DriftTestName;
  /** p-value for p-value tests, distance otherwise. */
  score: Num;
  threshold: number;
  drifted: boolean;
  scoreKind: ScoreKind;
  /** The Benjamini–Hochberg adjusted p-value the verdict used, when the correction is on. */
  pValueAdjusted?: Num;
}

export interface DivergencesReport {
  psi: Num;
  jensenShannon: Num;
  /** Numerical columns only. */
  wassersteinNormed: Num;
  hellinger: Num;
}

/** Data quality of the current column; range and category checks are against the reference. */
export interface QualityReport {
  missingShare: Num;
  distinct: number;
  min: Num;
  max: Num;
  mean: Num;
  /** Sample standard deviation (ddof = 1). */
  std: Num;
  /** Numerical: share of current values outside [reference min, reference max]. */
  outOfRangeShare: Num;
  /** Categorical: share of current values whose category is not in the reference. */
  newCategoryShare: Num;
}

/** Reference and current shares of non-missing values, on the report's binning, for charts. */
export type DistributionReport =
  | {
      kind: 'histogram';
      /** k + 1 ascending edges of k bins. */
      edges: number[];
      reference: number[];
      current: number[];
    }
  | {
      kind: 'categories';
      /** The most frequent categories (numerical columns binned per value: in value order). */
      categories: string[];
      reference: number[];
      current: number[];
      /** Shares of the categories left out, when some are. */
      other: { reference: number; current: number } | null;
    };

export interface ColumnReport {
  name: string;
  type: ReportColumnType;
  /** null when a sample has no non-missing value (see the report's warnings). */
  drift: ColumnDriftReport | null;
  divergences: DivergencesReport | null;
  quality: QualityReport;
  distribution: DistributionReport | null;
}

export interface DatasetReport {
  /** Feature columns whose drift could be computed. */
  columns: number;
  driftedColumns: number;
  driftedShare: number;
  /** The share of drifted columns at or above which the dataset counts as drifted. */
  driftShare: number;
  drifted: boolean;
}

export type Task = 'binary' | 'multiclass' | 'regression';

export interface ClassMetricsReport {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  rocAuc: Num;
}

export interface ClassificationReport {
  /** Rows with target, prediction and scores all present. */
  rows: number;
  accuracy: number;
  /** Binary: of the positive label; multiclass: macro averages. */
  precision: number;
  recall: number;
  f1: number;
  rocAuc: Num;
  logLoss: Num;
  labels: Label[];
  /** confusionMatrix[i][j]: rows of true labels[i] predicted as labels[j]. */
  confusionMatrix: number[][];
  positiveLabel?: Label;
  perClass?: ClassMetricsReport[];
}

export interface RegressionReport {
  rows: number;
  mae: number;
  rmse: number;
  mape: number;
  r2: number;
  /** mean(prediction − target). */
  meanError: number;
}

export interface PerformanceReport {
  task: Task;
  target: string;
  prediction: string | null;
  scores: string[] | null;
  current: ClassificationReport | RegressionReport;
  reference?: ClassificationReport | RegressionReport;
}

/** An estimated metric with its sampling error and ±3 SE band (clipped to [0, 1]). */
export interface EstimatedMetricReport {
  value: Num;
  samplingError: Num;
  lower: Num;
  upper: Num;
}

/** Performance estimated without labels by confidence-based performance estimation (CBPE). */
export interface PerformanceEstimateReport {
  method: 'cbpe';
  task: 'binary' | 'multiclass';
  calibration: 'isotonic';
  /** Current rows with a prediction and every score. */
  rows: number;
  /** Multiclass: macro averages (ROC AUC one-vs-rest). */
  metrics: {
    accuracy: EstimatedMetricReport;
    f1: EstimatedMetricReport;
    precision: { value: Num };
    recall: { value: Num };
    /** Binary only. */
    specificity?: { value: Num };
    rocAuc: { value: Num };
  };
  positiveLabel?: Label;
  labels: Label[];
}

/** Multivariate drift: mean PCA reconstruction error of the current data against reference thresholds. */
export interface MultivariateDriftReport {
  method: 'pca_reconstruction';
  /** Principal components kept (cumulative explained variance ≥ 65 %). */
  components: number;
  /** Cumulative explained-variance ratio of the kept components. */
  explainedVariance: number;
  columns: string[];
  chunkSize: number;
  referenceChunkErrors: number[];
  lower: number;
  upper: number;
  current: { error: Num; samplingError: Num };
  drifted: boolean;
}

export interface Report {
  reference: { rows: number };
  current: { rows: number };
  columns: ColumnReport[];
  dataset: DatasetReport;
  performance?: PerformanceReport;
  performanceEstimate?: PerformanceEstimateReport;
  multivariateDrift?: MultivariateDriftReport;
  /** Things the reader should know: columns skipped, metrics left undefined, and why. */
  warnings: string[];
}
