/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate): sort p ascending,
 * adj_(i) = min_{j ≥ i} p_(j)·m/j, capped at 1, returned in input order. NaN stays NaN and
 * does not count towards m.
 *
 * Reference: Benjamini & Hochberg (1995), J. R. Stat. Soc. B 57(1), 289–300;
 * https://www.statsmodels.org/stable/generated/statsmodels.stats.multitest.multipletests.html ('fdr_bh')
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const idx = pValues.map((_, i) => i).filter((i) => !Number.isNaN(pValues[i]!));
  idx.sort((a, b) => pValues[a]! - pValues[b]!);
  const m = idx.length;
  const out = pValues.map(() => NaN);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = idx[r]!;
    running = Math.min(running, (pValues[i]! * m) / (r + 1));
    out[i] = running;
  }
  return out;
}
