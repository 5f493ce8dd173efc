export { assembleReport, buildReport, computeEstimates, type Estimates } from './build-report.js';
export { computeColumnReport } from './column-report.js';
export { computePerformance, inferTask } from './performance-report.js';
export {
  planReport,
  DISTRIBUTION_CATEGORY_LIMIT,
  type ColumnTask,
  type PerformanceRoles,
  type ReportOptions,
  type ReportPlan,
} from './plan.js';
export type {
  ClassificationReport,
  ClassMetricsReport,
  ColumnDriftReport,
  ColumnReport,
  DatasetReport,
  DistributionReport,
  DivergencesReport,
  EstimatedMetricReport,
  MultivariateDriftReport,
  PerformanceEstimateReport,
  Num,
  PerformanceReport,
  QualityReport,
  RegressionReport,
  Report,
  Task,
} from './report.types.js';
export {
  columnLength,
  encodeCategories,
  inferColumnType,
  isEncoded,
  parseNumber,
  tableRows,
  toCategorical,
  toNumeric,
  type ColumnValues,
  type EncodedCategories,
  type ReportColumnType,
  type Table,
} from './table.js';
