export { andersonDarling, type AndersonDarlingResult } from './anderson-darling.js';
export { benjaminiHochberg } from './benjamini-hochberg.js';
export {
  binSamples,
  searchSorted,
  histogram,
  sturgesEdges,
  DISTINCT_VALUE_BIN_LIMIT,
  type BinnedCounts,
  type BinningScheme,
} from './binning.js';
export { alignTallies, countCategories, tallyCategories, type Category, type CategoryCountTable, type CategoryTally } from './categories.js';
export { chiSquareContingency, chiSquareGoodnessOfFit, gTest } from './chi-square.js';
export {
  analyseColumnDrift,
  computeColumnDrift,
  defaultDriftTest,
  driftTestScoreKind,
  prepareCategorical,
  prepareNumeric,
  DRIFT_TESTS,
  type CategoricalInput,
  type ColumnDriftAnalysis,
  type ColumnDriftOptions,
  type ColumnDriftResult,
  type ColumnInput,
  type ColumnKind,
  type DriftTestChoice,
  type DriftTestName,
  type NumericInput,
  type PreparedCategorical,
  type PreparedNumeric,
  type ScoreKind,
} from './column-drift.js';
export { cramerVonMises, type CramerVonMisesResult } from './cramer-von-mises.js';
export {
  computeDatasetDrift,
  resolveColumnOptions,
  summarizeDatasetDrift,
  DEFAULT_DRIFT_SHARE,
  type DatasetColumn,
  type DatasetColumnDrift,
  type DatasetDriftResult,
  type DriftOptions,
} from './dataset-drift.js';
export { energyDistance } from './energy-distance.js';
export { fisherExact, type FisherExactResult } from './fisher-exact.js';
export { hellinger } from './hellinger.js';
export { jensenShannonDistance } from './jensen-shannon.js';
export { klDivergence } from './kl-divergence.js';
export { ks2samp, type KsMethod, type KsResult } from './ks-2samp.js';
export { mannWhitneyU, type MannWhitneyResult } from './mann-whitney.js';
export { powerDivergence, type ChiSquareResult, type PowerDivergenceLambda } from './power-divergence.js';
export { psi } from './psi.js';
export { proportions, smooth, ZERO_BIN_EPSILON, type SmoothingRule } from './smoothing.js';
export { totalVariation } from './total-variation.js';
export { tTest, tTestFromMoments, type SampleMoments, type TTestResult } from './t-test.js';
export { wassersteinDistance, wassersteinNormed, WASSERSTEIN_STD_FLOOR, type WassersteinNormedResult } from './wasserstein.js';
export { twoProportionZTest, type ZTestResult } from './z-test.js';
