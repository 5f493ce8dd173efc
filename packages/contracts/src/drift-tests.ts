/** Drift test names accepted in settings (the metrics package implements each). */
export const DRIFT_TEST_NAMES = [
  'ks',
  'chisquare',
  'z',
  'wasserstein',
  'wasserstein_raw',
  'jensenshannon',
  'psi',
  'kl_div',
  'hellinger',
  'tvd',
  'anderson',
  'cramer_von_mises',
  'mannw',
  'energy_distance',
  't_test',
  'welch_t_test',
  'fisher_exact',
  'g_test',
  'chi2_contingency',
] as const;
export type DriftTestNameContract = (typeof DRIFT_TEST_NAMES)[number];
