import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimatedRocAucOf } from './estimated-roc-auc.js';
import { expectedConfusion } from './expected-confusion.js';
import { calibrate, calibrateAll, fitIsotonic } from './isotonic.js';
import { sortedBinaryEstimate } from './sorted-estimate.js';

// Expected: the row-by-row definitions (expectedConfusion over calibrateAll, estimatedRocAucOf).
const score = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 20 }).map((k) => k / 20), fc.constant(-0));
const rows = fc.array(fc.tuple(score, fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 120 });
const near = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('the sorted walk equals the row-by-row estimate', () => {
  it('expected confusion matrix and estimated ROC AUC, ties, -0 and scores outside the fitted range included', () => {
    fc.assert(
      fc.property(rows, rows, (reference, current) => {
        const cal = fitIsotonic(
          reference.map((r) => r[0]),
          reference.map((r) => r[1]),
        );
        const scores = current.map((r) => r[0]);
        const yPred = current.map((r) => r[1]);
        const got = sortedBinaryEstimate(cal, scores, yPred);
        const want = expectedConfusion(calibrateAll(cal, scores), yPred);
        expect(got.confusion.rows).toBe(want.rows);
        for (const key of ['tp', 'fp', 'fn', 'tn'] as const) expect(near(got.confusion[key], want[key])).toBe(true);
        expect(near(got.rocAuc, estimatedRocAucOf((s) => calibrate(cal, s), scores))).toBe(true);
      }),
    );
  });

  it('walks a calibrator of many points across large chunks (radix-sorted path)', () => {
    const n = 5000;
    const refScores = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n);
    const labels = Float64Array.from(refScores, (s, i) => (s + ((i * 31) % 17) / 40 > 0.6 ? 1 : 0));
    const cal = fitIsotonic(refScores, labels);
    const scores = Float64Array.from({ length: n }, (_, i) => ((i * 104729) % 9973) / 9973);
    const yPred = Float64Array.from(scores, (s) => (s >= 0.5 ? 1 : 0));
    const got = sortedBinaryEstimate(cal, scores, yPred);
    const want = expectedConfusion(calibrateAll(cal, scores), yPred);
    for (const key of ['tp', 'fp', 'fn', 'tn'] as const) expect(near(got.confusion[key], want[key])).toBe(true);
    expect(near(got.rocAuc, estimatedRocAucOf((s) => calibrate(cal, s), scores))).toBe(true);
  });
});
