/** A categorical value; null is missing. */
export type Category = string | null;

export interface CategoryCountTable {
  /** Sorted union (code-unit order) of the non-missing categories of both samples. */
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

/** Count per non-missing category of one sample. */
export type CategoryTally = ReadonlyMap<string, number>;

export function tallyCategories(values: readonly Category[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** Counts of both samples over the sorted union of the categories of two tallies. */
export function alignTallies(reference: CategoryTally, current: CategoryTally): CategoryCountTable {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    categories,
    reference: Float64Array.from(categories, (c) => reference.get(c) ?? 0),
    current: Float64Array.from(categories, (c) => current.get(c) ?? 0),
  };
}

/** Counts per category of both samples over the sorted union of their categories, missing dropped. */
export function countCategories(reference: readonly Category[], current: readonly Category[]): CategoryCountTable {
  return alignTallies(tallyCategories(reference), tallyCategories(current));
}
