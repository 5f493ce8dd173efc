/** A categorical value; null is missing. */
export type Category = string | null;

export interface CategoryCountTable {
  /** Sorted union (code-unit order) of the non-missing categories of both samples. */
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

function tally(values: readonly Category[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Counts per category of both samples over the sorted union of their categories, missing dropped. */
export function countCategories(reference: readonly Category[], current: readonly Category[]): CategoryCountTable {
  const ref = tally(reference);
  const cur = tally(current);
  const categories = [...new Set([...ref.keys(), ...cur.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    categories,
    reference: Float64Array.from(categories, (c) => ref.get(c) ?? 0),
    current: Float64Array.from(categories, (c) => cur.get(c) ?? 0),
  };
}
