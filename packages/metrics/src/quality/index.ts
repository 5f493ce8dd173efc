export {
  summarizeBoolean,
  summarizeCategorical,
  summarizeNumeric,
  DEFAULT_QUANTILES,
  type BaseSummary,
  type BooleanSummary,
  type CategoricalSummary,
  type NumericSummary,
} from './column-summary.js';
export { newCategoryShare, outOfRangeShare, typeMismatchShare, type ExpectedType } from './reference-checks.js';
export { summarizeTable, ALMOST_CONSTANT_SHARE, type TableColumn, type TableSummary } from './table-summary.js';
