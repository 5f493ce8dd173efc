import { describe, expect, it } from 'vitest';
import { FixedHistogram } from './histogram.js';

describe('FixedHistogram', () => {
  it('bins like numpy.histogram (last bin closed) and counts out-of-range values apart', () => {
    const histogram = new FixedHistogram([0, 1, 2, 4]);
    for (const x of [
      -1,
      0,
      0.5,
      1,
      1.999,
      2,
      3.5,
      4,
      4.0001,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]) {
      histogram.update(x);
    }
    expect(Array.from(histogram.counts)).toEqual([2, 2, 3]);
    expect(histogram.below).toBe(2);
    expect(histogram.above).toBe(2);
    expect(histogram.total).toBe(11);
  });

  it('merges exactly by summing counts', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
    const whole = new FixedHistogram([-2, -1, 0, 1, 2]);
    const parts = [new FixedHistogram([-2, -1, 0, 1, 2]), new FixedHistogram([-2, -1, 0, 1, 2])];
    values.forEach((x, i) => {
      whole.update(x);
      parts[i % 2]!.update(x);
    });
    const merged = parts[0]!.clone().merge(parts[1]!);
    expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    expect([merged.below, merged.above]).toEqual([whole.below, whole.above]);
  });

  it('rejects bad edges and merging different edges', () => {
    expect(() => new FixedHistogram([1])).toThrow(/two bin edges/);
    expect(() => new FixedHistogram([0, 0, 1])).toThrow(/strictly increasing/);
    expect(() => new FixedHistogram([0, Number.NaN])).toThrow(/finite/);
    expect(() => new FixedHistogram([0, 1]).merge(new FixedHistogram([0, 2]))).toThrow(
      /different bin edges/,
    );
  });
});
