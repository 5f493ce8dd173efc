import { prepareNumeric, type NumericInput, type PreparedNumeric } from '../drift/column-drift.js';
import { quantileLinear } from '../stats/quantile.js';

/** Common to every column kind (pandas conventions: missing = NaN/null, excluded from counts). */
export interface BaseSummary {
  rows: number;
  count: number;
  missingCount: number;
  missingShare: number;
  /** Distinct non-missing values. */
  distinctCount: number;
  /** A most frequent non-missing value (the first seen among ties); null when all are missing. */
  mostCommonValue: number | string | boolean | null;
  mostCommonCount: number;
  /** mostCommonCount / count (NaN when all are missing). */
  mostCommonShare: number;
}

export interface NumericSummary extends BaseSummary {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation, ddof = 1 (pandas' default). */
  std: number;
  /** Population standard deviation, ddof = 0 (numpy's default). */
  stdPopulation: number;
  sum: number;
  zerosCount: number;
  negativeCount: number;
  /** numpy 'linear' quantiles at the requested probabilities (default p25, p50, p75, p95). */
  quantiles: { q: number; value: number }[];
  median: number;
}

export const DEFAULT_QUANTILES = [0.25, 0.5, 0.75, 0.95];

function modeOf<T>(values: Iterable<T>): { value: T | null; count: number; distinct: number } {
  const counts = new Map<T, number>();
  let best: T | null = null;
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount) {
      best = v;
      bestCount = c;
    }
  }
  // Among ties keep the value seen first (pandas value_counts order), not the first to reach the count.
  if (best !== null) {
    for (const [v, c] of counts) {
      if (c === bestCount) {
        best = v;
        break;
      }
    }
  }
  return { value: best, count: bestCount, distinct: counts.size };
}

function base(rows: number, count: number, mode: { value: BaseSummary['mostCommonValue']; count: number; distinct: number }): BaseSummary {
  return {
    rows,
    count,
    missingCount: rows - count,
    missingShare: rows === 0 ? NaN : (rows - count) / rows,
    distinctCount: mode.distinct,
    mostCommonValue: mode.value,
    mostCommonCount: mode.count,
    mostCommonShare: count === 0 ? NaN : mode.count / count,
  };
}

/**
 * Summary of a numerical column (NaN = missing): counts, distinct values, mode, min/max,
 * mean, std (ddof 1 and 0), sum, zeros/negatives and linear quantiles, from one sort.
 */
export function summarizeNumeric(values: NumericInput, quantiles: readonly number[] = DEFAULT_QUANTILES): NumericSummary {
  const prepared: PreparedNumeric = 'sorted' in values && 'rows' in values ? values : prepareNumeric(values);
  const x = prepared.sorted;
  const n = x.length;
  let sum = 0;
  let zeros = 0;
  let negatives = 0;
  let distinct = 0;
  let modeValue = NaN;
  let modeCount = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && x[j] === x[i]) j++;
    distinct++;
    if (j - i > modeCount) {
      modeCount = j - i;
      modeValue = x[i]!;
    }
    i = j;
  }
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    sum += v;
    if (v === 0) zeros++;
    else if (v < 0) negatives++;
  }
  const mean = n === 0 ? NaN : sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2;
  return {
    ...base(prepared.rows, n, { value: n === 0 ? null : modeValue, count: modeCount, distinct }),
    min: n === 0 ? NaN : x[0]!,
    max: n === 0 ? NaN : x[n - 1]!,
    mean,
    std: n < 2 ? NaN : Math.sqrt(ss / (n - 1)),
    stdPopulation: n === 0 ? NaN : Math.sqrt(ss / n),
    sum,
    zerosCount: zeros,
    negativeCount: negatives,
    quantiles: quantiles.map((q) => ({ q, value: quantileLinear(x, q) })),
    median: quantileLinear(x, 0.5),
  };
}

export interface CategoricalSummary extends BaseSummary {
  /** Lexicographic (code-unit order) minimum and maximum category. */
  minCategory: string | null;
  maxCategory: string | null;
}

/** Summary of a categorical column (null = missing). */
export function summarizeCategorical(values: readonly (string | null)[]): CategoricalSummary {
  const present = values.filter((v): v is string => v !== null);
  let min: string | null = null;
  let max: string | null = null;
  for (const v of present) {
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  return { ...base(values.length, present.length, modeOf(present)), minCategory: min, maxCategory: max };
}

export interface BooleanSummary extends BaseSummary {
  trueCount: number;
  /** Share of true among non-missing values. */
  mean: number;
}

/** Summary of a boolean column (null = missing). */
export function summarizeBoolean(values: readonly (boolean | null)[]): BooleanSummary {
  const present = values.filter((v): v is boolean => v !== null);
  const trueCount = present.filter((v) => v).length;
  return { ...base(values.length, present.length, modeOf(present)), trueCount, mean: present.length ? trueCount / present.length : NaN };
}
