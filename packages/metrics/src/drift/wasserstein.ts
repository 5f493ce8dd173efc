import { cdfDistance } from './cdf-distance.js';
import { mean, type SortedSample } from '../stats/sample.js';

/**
 * First Wasserstein (earth mover's) distance between two empirical distributions:
 * W1 = ∫ |F_ref(x) − F_cur(x)| dx (scipy.stats.wasserstein_distance).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.wasserstein_distance.html
 * @throws MetricsError when either sample is empty.
 */
export function wassersteinDistance(reference: SortedSample, current: SortedSample): number {
  return cdfDistance(reference, current, 1);
}

/** Floor on the reference std when normalising, as Evidently's 'wasserstein' stattest. */
export const WASSERSTEIN_STD_FLOOR = 0.001;

export interface WassersteinNormedResult {
  distance: number;
  /** Population standard deviation (ddof = 0) of the reference sample. */
  referenceStd: number;
  /** distance / max(referenceStd, 0.001): Evidently's normed Wasserstein, drift if ≥ 0.1. */
  normed: number;
}

/**
 * Wasserstein-1 distance normalised by the reference population std with a 0.001 floor:
 * W1 / max(std₀(reference), 0.001).
 *
 * Reference: https://github.com/evidentlyai/evidently (stattests/wasserstein_distance_norm.py)
 * @throws MetricsError when either sample is empty.
 */
export function wassersteinNormed(reference: SortedSample, current: SortedSample): WassersteinNormedResult {
  return normaliseWasserstein(wassersteinDistance(reference, current), reference);
}

/** Normalises an already computed W1 distance by the reference population std (floor 0.001). */
export function normaliseWasserstein(distance: number, reference: SortedSample): WassersteinNormedResult {
  const m = mean(reference);
  let ss = 0;
  for (let i = 0; i < reference.length; i++) ss += (reference[i]! - m) ** 2;
  const referenceStd = Math.sqrt(ss / reference.length);
  return { distance, referenceStd, normed: distance / Math.max(referenceStd, WASSERSTEIN_STD_FLOOR) };
}
