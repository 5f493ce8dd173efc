export { CategoryCounts, DEFAULT_CATEGORY_CAP } from './category-counts.js';
export {
  addMissing,
  cloneProfile,
  createProfile,
  mergeProfileInto,
  mergeProfiles,
  profileColumn,
  resolveProfileOptions,
  updateProfile,
  type CategoricalProfile,
  type ColumnKind,
  type ColumnProfile,
  type NumericalProfile,
  type ProfileOptions,
  type ResolvedProfileOptions,
  type TypeCounts,
} from './column-profile.js';
export {
  createDatasetProfile,
  deserializeDatasetProfile,
  mergeDatasetProfiles,
  profileDataset,
  serializeDatasetProfile,
  updateDatasetProfile,
  type ColumnSpec,
  type DatasetProfile,
  type DatasetSchema,
  type SerializedDatasetProfile,
} from './dataset-profile.js';
export { FixedHistogram } from './histogram.js';
export {
  DEFAULT_EXACT_DISTINCT_LIMIT,
  DEFAULT_HLL_PRECISION,
  HyperLogLog,
  type HyperLogLogOptions,
} from './hyperloglog.js';
export { DEFAULT_KLL_K, KllSketch, kllRankErrorBound } from './kll.js';
export { Moments } from './moments.js';
export {
  categoryShares,
  distinctEstimate,
  histogramShares,
  missingShare,
  profileCdf,
  profileMax,
  profileMean,
  profileMin,
  profileQuantile,
  profileStd,
  profileVariance,
  typeMismatchCount,
  profileTypeMismatchShare,
  validCount,
  type CategoryShare,
  type CategoryShares,
  type HistogramShares,
} from './profile-summary.js';
export { DEFAULT_RESERVOIR_SIZE, Reservoir } from './reservoir.js';
export {
  deserializeProfile,
  PROFILE_FORMAT_VERSION,
  serializeProfile,
  type SerializedColumnProfile,
} from './serialize.js';
