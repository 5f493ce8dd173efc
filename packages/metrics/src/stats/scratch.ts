/**
 * Work buffers kept between calls. The first touch of a fresh multi-megabyte typed array
 * costs one page fault per 4 kB page (measured 40–50 ms of CPU per 8 MB on a loaded 2-core
 * machine, against under 1 ms to rewrite a buffer already mapped), so the estimators'
 * per-row scratch is reused. A slot's buffer is only valid until the next request for the
 * same slot: take it, use it inside one synchronous call, never return it or keep it.
 */
const float64Slots = new Map<string, Float64Array>();
const int32Slots = new Map<string, Int32Array>();

/** A Float64Array of length n (contents undefined) for the slot. */
export function scratchFloat64(slot: string, n: number): Float64Array {
  let buffer = float64Slots.get(slot);
  if (buffer === undefined || buffer.length < n) {
    buffer = new Float64Array(n);
    float64Slots.set(slot, buffer);
  }
  return buffer.subarray(0, n);
}

/** An Int32Array of length n (contents undefined) for the slot. */
export function scratchInt32(slot: string, n: number): Int32Array {
  let buffer = int32Slots.get(slot);
  if (buffer === undefined || buffer.length < n) {
    buffer = new Int32Array(n);
    int32Slots.set(slot, buffer);
  }
  return buffer.subarray(0, n);
}
