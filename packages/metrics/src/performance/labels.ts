import { MetricsError } from '../errors.js';

export type Label = string | number | boolean;

/**
 * Rejects missing labels (null/undefined/NaN) as scikit-learn rejects NaN input, and mixed
 * label types (scikit-learn's "Mix of label input types").
 */
export function checkLabels(values: readonly unknown[], what: string): asserts values is readonly Label[] {
  let kind: string | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      throw new MetricsError(`${what} contains a missing value (NaN/null) at index ${i}`, { index: i });
    }
    const t = typeof v;
    if (t !== 'string' && t !== 'number' && t !== 'boolean') throw new MetricsError(`${what} has an unsupported label type ${t}`);
    if (kind === undefined) kind = t;
    else if (kind !== t) throw new MetricsError(`${what} mixes label types (${kind} and ${t})`);
  }
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

/** Sorted union of labels (scikit-learn's unique_labels): numeric or code-unit string order. */
export function uniqueLabels(...lists: readonly (readonly Label[])[]): Label[] {
  const set = new Set<Label>();
  for (const l of lists) for (const v of l) set.add(v);
  const labels = [...set];
  const kinds = new Set(labels.map((v) => typeof v));
  if (kinds.size > 1) throw new MetricsError('labels mix types');
  return labels.sort(compareLabels);
}

export function sameLength(a: { length: number }, b: { length: number }, what: string): void {
  if (a.length !== b.length) throw new MetricsError(`${what}: inputs differ in length (${a.length} vs ${b.length})`);
  if (a.length === 0) throw new MetricsError(`${what}: inputs are empty`);
}
