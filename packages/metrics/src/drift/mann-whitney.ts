import { normalSf } from '../stats/distributions.js';
import { pooledMidranks, requireSamples, type RankTestResult, type SortedSample } from '../stats/sample.js';

/** `statistic` is U of the reference sample: R₁ − n₁(n₁+1)/2 with mid-ranks. */
export type MannWhitneyResult = RankTestResult;

/**
 * Mann–Whitney U test, two-sided (scipy.stats.mannwhitneyu, method='auto',
 * use_continuity=True). The exact null distribution unless both n > 8 or there are ties;
 * otherwise the tie-corrected normal approximation with continuity correction
 * z = (max(U₁,U₂) − n₁n₂/2 − 0.5) / sqrt(n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1)))).
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.mannwhitneyu.html
 * @throws MetricsError when either sample is empty.
 */
export function mannWhitneyU(reference: SortedSample, current: SortedSample): MannWhitneyResult {
  requireSamples(reference, current);
  const n1 = reference.length;
  const n2 = current.length;
  const { ra, tie } = pooledMidranks(reference, current);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ra[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u = Math.max(u1, n1 * n2 - u1);
  const exact = !(n1 > 8 && n2 > 8) && tie === 0;
  let p: number;
  if (exact) {
    p = 2 * exactUpperTail(n1, n2, u);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tie / (n * (n - 1))));
    p = 2 * normalSf((u - (n1 * n2) / 2 - 0.5) / s);
  }
  return { statistic: u1, pValue: Math.min(1, Math.max(0, p)), method: exact ? 'exact' : 'asymptotic' };
}

/** P(U ≥ u) under H0 by counting rank arrangements (no ties), via symmetry P(U ≤ mn − u). */
function exactUpperTail(m: number, n: number, u: number): number {
  const maxU = m * n;
  // freq[k] = number of arrangements with U = k, built one observation of the first sample at a time.
  let table: Float64Array[] = [];
  for (let j = 0; j <= n; j++) table.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const f = new Float64Array(i * j + 1);
      const left = next[j - 1]!;
      const up = table[j]!;
      for (let k = 0; k < left.length; k++) f[k]! += left[k]!;
      for (let k = 0; k < up.length; k++) f[k + j]! += up[k]!;
      next.push(f);
    }
    table = next;
  }
  const freq = table[n]!;
  let total = 0;
  for (let k = 0; k <= maxU; k++) total += freq[k]!;
  let tail = 0;
  for (let k = 0; k <= maxU - u; k++) tail += freq[k]!;
  return tail / total;
}
