/**
 * In-place ascending sort of a Float64Array range without NaN. Quicksort with median-of-three
 * pivots and insertion sort below 24 items; several times faster than TypedArray#sort in V8
 * for the few hundred items a KLL compaction sorts.
 */
export function sortFloat64(a: Float64Array, from: number, to: number): void {
  let lo = from;
  let hi = to - 1;
  // Recurse into the smaller side, loop on the larger: O(log n) stack.
  while (hi - lo >= 24) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      sortFloat64(a, lo, j + 1);
      lo = i;
    } else {
      sortFloat64(a, i, hi + 1);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
