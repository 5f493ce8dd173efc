import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../performance/classification.js';
import { rocAuc } from '../performance/roc-auc.js';
import { estimateFromProbabilities } from './cbpe-binary.js';
import { fitMulticlassCbpe, mergeMulticlassSums, multiclassProbabilities, multiclassSums } from './cbpe-multiclass.js';
import { addToScoreHistogram, emptyScoreHistogram, estimatedRocAuc, estimatedRocAucOf, mergeScoreHistograms, rocAucFromHistogram } from './estimated-roc-auc.js';
import { expectedConfusion, mergeExpectedConfusion } from './expected-confusion.js';
import { calibrate, fitIsotonic } from './isotonic.js';
import { samplingComponents } from './sampling-error.js';

const score = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 20 }).map((k) => k / 20));
const labelled = fc.array(fc.tuple(score, fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 80 });
const near = (a: number, b: number, tol = 1e-12): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('estimation invariants', () => {
  it('calibrated values are monotone in the score and within [0, 1]', () => {
    fc.assert(
      fc.property(labelled, fc.array(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { minLength: 2, maxLength: 40 }), (rows, queries) => {
        const cal = fitIsotonic(rows.map((r) => r[0]), rows.map((r) => r[1]));
        const sorted = [...queries].sort((a, b) => a - b);
        let prev = -Infinity;
        for (const q of sorted) {
          const p = calibrate(cal, q);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expect(p).toBeGreaterThanOrEqual(prev - 1e-15);
          prev = p;
        }
      }),
      // Found by fast-check: two scores a subnormal apart made the interpolation's slope overflow.
      {
        examples: [
          [
            [
              [0, 0, 0],
              [5e-324, 1, 0],
              [0.05, 0, 0],
            ],
            [5e-324, 0],
          ],
        ],
      },
    );
  });

  it('the radix-sorted paths equal the general ones (0/1 merge in calibration, ROC AUC with p a function of the score)', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map((r) => r[0]);
        const y = rows.map((r) => r[1]);
        const binary = fitIsotonic(scores, y);
        const general = fitIsotonic(scores, y.map((v) => v * 0.5));
        expect(binary.x).toEqual(general.x);
        binary.y.forEach((v, i) => expect(near(v * 0.5, general.y[i]!, 1e-15)).toBe(true));
        const p = (s: number): number => calibrate(binary, s);
        const a = estimatedRocAucOf(p, scores);
        const b = estimatedRocAuc(scores.map(p), scores);
        expect(near(a, b)).toBe(true);
      }),
    );
  });

  it('with p equal to the true labels the estimated metrics equal the realized ones', () => {
    fc.assert(
      fc.property(labelled, (rows) => {
        const scores = rows.map((r) => r[0]);
        const yTrue = rows.map((r) => r[1]);
        const yPred = rows.map((r) => r[2]);
        const e = estimateFromProbabilities(samplingComponents(yTrue, yPred), yTrue, scores, yPred);
        const m = classificationMetrics(yTrue, yPred, { labels: [0, 1], positiveLabel: 1 });
        expect(near(e.accuracy.value, m.accuracy)).toBe(true);
        const tp = m.confusionMatrix[1]![1]!;
        const fp = m.confusionMatrix[0]![1]!;
        const fn = m.confusionMatrix[1]![0]!;
        // scikit-learn's zero_division=0 reports 0 where the estimate is undefined (NaN).
        if (tp + fp > 0) expect(near(e.precision, m.binary!.precision)).toBe(true);
        if (tp + fn > 0) expect(near(e.recall, m.binary!.recall)).toBe(true);
        if (2 * tp + fp + fn > 0) expect(near(e.f1.value, m.binary!.f1)).toBe(true);
        if (yTrue.includes(0) && yTrue.includes(1)) expect(near(e.rocAuc, rocAuc(yTrue, scores, 1))).toBe(true);
        else expect(Number.isNaN(e.rocAuc)).toBe(true);
      }),
    );
  });

  it("merging two windows' sums equals one window", () => {
    fc.assert(
      fc.property(labelled, fc.nat(), (rows, cut) => {
        const k = cut % (rows.length + 1);
        const p = rows.map((r) => r[0]);
        const yhat = rows.map((r) => r[2]);
        const whole = expectedConfusion(p, yhat);
        const merged = mergeExpectedConfusion(expectedConfusion(p.slice(0, k), yhat.slice(0, k)), expectedConfusion(p.slice(k), yhat.slice(k)));
        expect(merged.rows).toBe(whole.rows);
        for (const key of ['tp', 'fp', 'fn', 'tn'] as const) expect(near(merged[key], whole[key])).toBe(true);
        const h1 = emptyScoreHistogram();
        const h2 = emptyScoreHistogram();
        const h = emptyScoreHistogram();
        rows.forEach((r, i) => {
          addToScoreHistogram(i < k ? h1 : h2, r[0], r[1]);
          addToScoreHistogram(h, r[0], r[1]);
        });
        const a = rocAucFromHistogram(mergeScoreHistograms(h1, h2));
        const b = rocAucFromHistogram(h);
        expect(near(a.value, b.value)).toBe(true);
      }),
    );
  });

  it('multiclass sums merge like one window', () => {
    const model = fitMulticlassCbpe({ yTrue: [0, 1, 2, 0, 1, 2], yPred: [0, 1, 2, 1, 1, 0], scores: [[0.7, 0.2, 0.1, 0.5, 0.3, 0.6], [0.2, 0.6, 0.2, 0.4, 0.5, 0.1], [0.1, 0.2, 0.7, 0.1, 0.2, 0.3]] }, 3);
    const chunk = { yPred: [0, 1, 2, 2, 0], scores: [[0.6, 0.2, 0.1, 0.3, 0.9], [0.3, 0.5, 0.2, 0.3, 0.05], [0.1, 0.3, 0.7, 0.4, 0.05]] };
    const p = multiclassProbabilities(model, chunk);
    for (let i = 0; i < 5; i++) expect(p[0]![i]! + p[1]![i]! + p[2]![i]!).toBeCloseTo(1, 14);
    const whole = multiclassSums(p, chunk.yPred);
    const merged = mergeMulticlassSums(
      multiclassSums(p.map((c) => c.subarray(0, 2)), chunk.yPred.slice(0, 2)),
      multiclassSums(p.map((c) => c.subarray(2)), chunk.yPred.slice(2)),
    );
    expect(merged.rows).toBe(5);
    expect(merged.correct).toBeCloseTo(whole.correct, 14);
    merged.tp.forEach((v, c) => expect(v).toBeCloseTo(whole.tp[c]!, 14));
    merged.fn.forEach((v, c) => expect(v).toBeCloseTo(whole.fn[c]!, 14));
  });

  it('the streaming ROC AUC is within its stated bound of the exact estimate', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 200 }), (rows) => {
        const h = emptyScoreHistogram(50);
        for (const [s, p] of rows) addToScoreHistogram(h, s, p);
        const approx = rocAucFromHistogram(h);
        const exact = estimatedRocAuc(rows.map((r) => r[1]), rows.map((r) => r[0]));
        if (Number.isNaN(exact)) return;
        expect(Math.abs(approx.value - exact)).toBeLessThanOrEqual(approx.maxError + 1e-12);
      }),
    );
  });
});
