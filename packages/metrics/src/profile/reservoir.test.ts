import { describe, expect, it } from 'vitest';
import { Reservoir } from './reservoir.js';

function reservoirOf(values: ArrayLike<number>, capacity: number, seed: number): Reservoir {
  const reservoir = new Reservoir(capacity, seed);
  for (let i = 0; i < values.length; i++) reservoir.offer(values[i]!);
  return reservoir;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('Reservoir', () => {
  it('keeps everything until full', () => {
    const reservoir = reservoirOf([3, 1, 2], 5, 1);
    expect(Array.from(reservoir.values()).sort()).toEqual([1, 2, 3]);
    expect(reservoir.n).toBe(3);
  });

  it('samples every element of a merged union equally often (chi-square, fixed seeds)', () => {
    // 200 values split unevenly into three streams (120 / 50 / 30), each sampled with capacity 20.
    const N = 200;
    const capacity = 20;
    const trials = 3000;
    const hits = new Float64Array(N);
    for (let t = 0; t < trials; t++) {
      const a = reservoirOf(range(0, 120), capacity, t * 3 + 1);
      const b = reservoirOf(range(120, 170), capacity, t * 3 + 2);
      const c = reservoirOf(range(170, 200), capacity, t * 3 + 3);
      const merged = t % 2 === 0 ? a.merge(b).merge(c) : c.merge(a.merge(b));
      expect(merged.n).toBe(N);
      for (const v of merged.values()) hits[v]!++;
    }
    const expected = (trials * capacity) / N;
    let chi2 = 0;
    for (const h of hits) chi2 += ((h - expected) * (h - expected)) / expected;
    // 199 degrees of freedom: the 0.999 quantile of chi-square(199) is about 263.
    expect(chi2).toBeLessThan(263);
    // And the streams are represented in proportion to their sizes (60 % / 25 % / 15 %).
    const share = (from: number, to: number) =>
      hits.slice(from, to).reduce((s, h) => s + h, 0) / (trials * capacity);
    expect(share(0, 120)).toBeCloseTo(0.6, 1);
    expect(share(120, 170)).toBeCloseTo(0.25, 1);
    expect(share(170, 200)).toBeCloseTo(0.15, 1);
  });

  it('samples a long single stream uniformly through the skip-ahead path', () => {
    const N = 10_000;
    const capacity = 50;
    const trials = 400;
    const buckets = new Float64Array(20);
    for (let t = 0; t < trials; t++) {
      for (const v of reservoirOf(range(0, N), capacity, 10_000 + t).values())
        buckets[Math.floor(v / (N / 20))]!++;
    }
    const expected = (trials * capacity) / 20;
    let chi2 = 0;
    for (const h of buckets) chi2 += ((h - expected) * (h - expected)) / expected;
    // 19 degrees of freedom: the 0.999 quantile of chi-square(19) is about 43.8.
    expect(chi2).toBeLessThan(43.8);
  });

  it('merges associatively and commutatively, exactly', () => {
    const make = () =>
      [
        reservoirOf(range(0, 300), 25, 1),
        reservoirOf(range(300, 350), 25, 2),
        reservoirOf(range(350, 1000), 25, 3),
      ] as const;
    const [a1, b1, c1] = make();
    const [a2, b2, c2] = make();
    const left = a1.merge(b1).merge(c1).state();
    const right = c2.merge(b2.merge(a2)).state();
    expect(right.keys).toEqual(left.keys);
    expect(right.values).toEqual(left.values);
    expect(right.n).toBe(left.n);
  });

  it('restores to a reservoir that continues identically', () => {
    const a = reservoirOf(range(0, 5000), 100, 9);
    const b = Reservoir.restore(a.state());
    for (let i = 0; i < 5000; i++) {
      a.offer(-i);
      b.offer(-i);
    }
    expect(b.state()).toEqual(a.state());
  });
});
