import { expect } from 'vitest';
import { hellinger } from '../drift/hellinger.js';
import { jensenShannonDistance } from '../drift/jensen-shannon.js';
import { klDivergence } from '../drift/kl-divergence.js';
import { psi } from '../drift/psi.js';
import { smooth, type SmoothingRule } from '../drift/smoothing.js';
import { totalVariation } from '../drift/total-variation.js';
import { CLOSED_FORM, expectClose, num, nums, obj, type RefValue } from './reference.js';

export const SMOOTHING_RULES: SmoothingRule[] = ['raw', 'eps_1e-4', 'evidently_feel_zeroes'];

/**
 * Checks one smoothing block of binned_divergences.json / categorical_drift.json: smoothing
 * of the raw shares, then every divergence. All closed-form (1e-9 relative); a tiny absolute
 * slack (1e-15) covers values that are 0 up to rounding (identical distributions).
 */
export function checkDivergenceBlock(rawP: Float64Array, rawQ: Float64Array, rule: SmoothingRule, block: RefValue | undefined): void {
  const b = obj(block);
  const p = smooth(rawP, rule);
  const q = smooth(rawQ, rule);
  const close = (got: number, key: string): void => expectClose(got, num(b[key]), CLOSED_FORM, `${rule} ${key}`, 1e-15);
  expect(Array.from(p)).toEqual(nums(b.reference_proportions));
  expect(Array.from(q)).toEqual(nums(b.current_proportions));
  close(psi(p, q), 'psi');
  close(klDivergence(p, q), 'kl_ref_cur_scipy');
  close(klDivergence(q, p), 'kl_cur_ref_scipy');
  close(klDivergence(p, q, false), 'kl_ref_cur_unnormalized');
  const js = jensenShannonDistance(p, q);
  const js2 = jensenShannonDistance(p, q, 2);
  close(js, 'js_distance_base_e');
  close(js * js, 'js_divergence_base_e');
  close(js2, 'js_distance_base_2');
  close(js2 * js2, 'js_divergence_base_2');
  close(hellinger(p, q), 'hellinger');
  close(hellinger(p, q, false), 'hellinger_unnormalized');
  close(totalVariation(p, q), 'tvd');
}
