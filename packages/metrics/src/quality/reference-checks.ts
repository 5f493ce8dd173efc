import { MetricsError } from '../errors.js';

/**
 * Share of non-missing current values outside the reference range [min, max]
 * (DESIGN §5 out_of_range_share). NaN when the current column has no values.
 * @throws MetricsError when the reference range is not a finite interval.
 */
export function outOfRangeShare(current: ArrayLike<number>, referenceMin: number, referenceMax: number): number {
  if (!(referenceMin <= referenceMax)) throw new MetricsError('reference range is empty or undefined');
  let n = 0;
  let out = 0;
  for (let i = 0; i < current.length; i++) {
    const v = current[i]!;
    if (Number.isNaN(v)) continue;
    n++;
    if (v < referenceMin || v > referenceMax) out++;
  }
  return n === 0 ? NaN : out / n;
}

/**
 * Share of non-missing current values whose category never occurs in the reference
 * (DESIGN §5 new_category_share). NaN when the current column has no values.
 */
export function newCategoryShare(reference: readonly (string | null)[] | ReadonlySet<string>, current: readonly (string | null)[]): number {
  const known = reference instanceof Set ? reference : new Set((reference as (string | null)[]).filter((v) => v !== null));
  let n = 0;
  let fresh = 0;
  for (const v of current) {
    if (v === null) continue;
    n++;
    if (!known.has(v)) fresh++;
  }
  return n === 0 ? NaN : fresh / n;
}

export type ExpectedType = 'numerical' | 'categorical' | 'boolean';

/**
 * Share of non-missing raw values whose type differs from the column's declared kind
 * (numerical: finite or infinite number, not NaN; categorical: string; boolean: boolean).
 * null, undefined and NaN count as missing, not as mismatches. NaN for an all-missing column.
 */
export function typeMismatchShare(values: readonly unknown[], expected: ExpectedType): number {
  let n = 0;
  let bad = 0;
  for (const v of values) {
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    n++;
    const ok = expected === 'numerical' ? typeof v === 'number' : expected === 'categorical' ? typeof v === 'string' : typeof v === 'boolean';
    if (!ok) bad++;
  }
  return n === 0 ? NaN : bad / n;
}
