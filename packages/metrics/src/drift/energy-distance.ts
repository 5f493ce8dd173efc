import { cdfDistance } from './cdf-distance.js';
import type { SortedSample } from '../stats/sample.js';

/**
 * Energy distance between two empirical distributions:
 * D = sqrt(2·E|X−Y| − E|X−X'| − E|Y−Y'|) = sqrt(2 ∫ (F_ref − F_cur)² dx)
 * (scipy.stats.energy_distance).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.energy_distance.html
 * @throws MetricsError when either sample is empty.
 */
export function energyDistance(reference: SortedSample, current: SortedSample): number {
  return Math.SQRT2 * cdfDistance(reference, current, 2);
}
