import { requireSamples, type SortedSample } from '../stats/sample.js';

export interface AndersonDarlingResult {
  /** Standardised statistic (A²_kN − (k−1)) / σ_N. */
  statistic: number;
  /** Interpolated significance level, clipped to [0.001, 0.25] as scipy does. */
  pValue: number;
  pValueStatus: 'interpolated' | 'capped_at_0.25' | 'floored_at_0.001';
  criticalValues: number[];
}

const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
// Scholz & Stephens (1987), Table 2 interpolation coefficients.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/**
 * k-sample Anderson–Darling test for k = 2 samples, mid-rank variant for ties
 * (scipy.stats.anderson_ksamp, variant='midrank'; Scholz & Stephens 1987, eq. 7):
 * A²_akN = (N−1)/N² · Σ_i 1/n_i Σ_j l_j (N·M_ij − n_i·B_j)² / (B_j(N−B_j) − N·l_j/4).
 * p-value: quadratic least-squares fit of ln(significance) on the critical values,
 * evaluated at the statistic, and clipped to [0.001, 0.25] outside the table.
 *
 * Reference: https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.anderson_ksamp.html
 * @throws MetricsError when either sample is empty.
 */
export function andersonDarling(reference: SortedSample, current: SortedSample): AndersonDarlingResult {
  requireSamples(reference, current);
  const samples = [reference, current];
  const k = 2;
  const N = reference.length + current.length;
  // Walk the distinct pooled values once, tracking per-sample counts below and at each value.
  const pos = [0, 0];
  let below = 0;
  const sums = [0, 0];
  while (pos[0]! < reference.length || pos[1]! < current.length) {
    const v =
      pos[1]! >= current.length || (pos[0]! < reference.length && reference[pos[0]!]! <= current[pos[1]!]!)
        ? reference[pos[0]!]!
        : current[pos[1]!]!;
    const at = [0, 0];
    for (let s = 0; s < k; s++) {
      const x = samples[s]!;
      let p = pos[s]!;
      while (p < x.length && x[p] === v) p++;
      at[s] = p - pos[s]!;
    }
    const lj = at[0]! + at[1]!;
    const bj = below + lj / 2;
    for (let s = 0; s < k; s++) {
      const mij = pos[s]! + at[s]! - at[s]! / 2;
      sums[s]! += ((lj / N) * (N * mij - bj * samples[s]!.length) ** 2) / (bj * (N - bj) - (N * lj) / 4);
    }
    for (let s = 0; s < k; s++) pos[s]! += at[s]!;
    below += lj;
  }
  const a2kN = ((sums[0]! / reference.length + sums[1]! / current.length) * (N - 1)) / N;

  const H = 1 / reference.length + 1 / current.length;
  // h = Σ_{i=1}^{N−1} 1/i ; g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N−i)j), as scipy's cumulative sums.
  let hsCum = 0;
  let g = 0;
  for (let i = N - 1, idx = 2; i > 1; i--, idx++) {
    hsCum += 1 / i;
    g += hsCum / idx;
  }
  const h = hsCum + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const statistic = (a2kN - m) / Math.sqrt(sigmasq);
  const criticalValues = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  if (statistic < Math.min(...criticalValues)) {
    return { statistic, pValue: 0.25, pValueStatus: 'capped_at_0.25', criticalValues };
  }
  if (statistic > Math.max(...criticalValues)) {
    return { statistic, pValue: 0.001, pValueStatus: 'floored_at_0.001', criticalValues };
  }
  const [c2, c1, c0] = quadraticFit(criticalValues, SIGNIFICANCE.map(Math.log));
  return { statistic, pValue: Math.exp((c2 * statistic + c1) * statistic + c0), pValueStatus: 'interpolated', criticalValues };
}

/** Least-squares y ≈ c2·x² + c1·x + c0 via the normal equations on centred x (as numpy.polyfit). */
function quadraticFit(x: number[], y: number[]): [number, number, number] {
  const n = x.length;
  const xm = x.reduce((s, v) => s + v, 0) / n;
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const u = x[i]! - xm;
    let p = 1;
    for (let e = 0; e <= 4; e++) {
      S[e]! += p;
      if (e <= 2) T[e]! += p * y[i]!;
      p *= u;
    }
  }
  // Solve [[S4,S3,S2],[S3,S2,S1],[S2,S1,S0]] · [q2,q1,q0] = [T2,T1,T0] by Cramer's rule.
  const M = [
    [S[4]!, S[3]!, S[2]!],
    [S[3]!, S[2]!, S[1]!],
    [S[2]!, S[1]!, S[0]!],
  ];
  const rhs = [T[2]!, T[1]!, T[0]!];
  const det3 = (A: number[][]): number =>
    A[0]![0]! * (A[1]![1]! * A[2]![2]! - A[1]![2]! * A[2]![1]!) -
    A[0]![1]! * (A[1]![0]! * A[2]![2]! - A[1]![2]! * A[2]![0]!) +
    A[0]![2]! * (A[1]![0]! * A[2]![1]! - A[1]![1]! * A[2]![0]!);
  const D = det3(M);
  const solve = (col: number): number => det3(M.map((row, r) => row.map((v, cIdx) => (cIdx === col ? rhs[r]! : v)))) / D;
  const q2 = solve(0);
  const q1 = solve(1);
  const q0 = solve(2);
  // Undo the centring: q2(x−xm)² + q1(x−xm) + q0.
  return [q2, q1 - 2 * q2 * xm, q2 * xm * xm - q1 * xm + q0];
}
