import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Table } from '../report/table.js';
import { binaryCases, f64, multiclassCases, multiclassInputs } from '../test/estimation.js';
import { CLOSED_FORM, expectClose, num, nums, obj, type RefObject } from '../test/reference.js';
import { fitEstimator, type EstimatorRoles } from './fitted-model.js';
import { mergeWindowStates, windowEstimates, windowStateOf, type EstimateWindowState } from './window-state.js';

const BINARY_ROLES: EstimatorRoles = { target: 'label', prediction: 'prediction', scores: ['score'], numerical: ['x'], categorical: ['colour'], };
const text = (v: ArrayLike<number>): string[] => Array.from(v, (x) => String(x));

// Expected values: estimation.json (the same blocks the CBPE tests read), reached through the
// stored form the worker uses: a fitted estimator, a window's sums, the estimates of the sums.
describe('a window estimated from its sums matches the shared binary cases', () => {
  for (const c of binaryCases) {
    const ref = obj(c.reference);
    const yTrue = f64(ref.y_true);
    const reference: Table = { label: text(yTrue), prediction: text(f64(ref.y_pred)), score: f64(ref.y_score) };
    const est = fitEstimator(reference, yTrue.length, { ...BINARY_ROLES, numerical: [], categorical: [] });

    (c.chunks as RefObject[]).forEach((chunk, k) => {
      const inputs = obj(chunk.inputs);
      const scores = f64(inputs.y_score);
      const table: Table = { prediction: text(f64(inputs.y_pred)), score: scores };
      const what = `${String(c.id)} chunk ${k}`;

      it(`${what}: estimates, sampling errors and bands (ROC AUC exact)`, () => {
        const { state, exactRocAuc } = windowStateOf(est, 'ref', table, scores.length);
        const e = windowEstimates(est, state, exactRocAuc).performance!;
        const want = obj(obj(chunk.expected).calibrated);
        expect(e.rows).toBe(scores.length);
        expectClose(e.values.accuracy.value, num(want.accuracy), CLOSED_FORM, 'accuracy', 1e-15);
        expectClose(e.values.precision.value, num(want.precision), CLOSED_FORM, 'precision', 1e-15);
        expectClose(e.values.recall.value, num(want.recall), CLOSED_FORM, 'recall', 1e-15);
        expectClose(e.values.f1.value, num(want.f1), CLOSED_FORM, 'f1', 1e-15);
        expectClose(e.values.rocAuc.value, num(want.roc_auc), CLOSED_FORM, 'roc auc', 1e-15);
        const se = obj(obj(chunk.expected).sampling_error);
        expectClose(e.values.accuracy.samplingError!, num(se.accuracy), CLOSED_FORM, 'accuracy SE', 1e-15);
        expectClose(e.values.f1.samplingError!, num(se.f1), CLOSED_FORM, 'f1 SE', 1e-15);
        const [f1Lo, f1Hi] = nums(obj(obj(chunk.expected).band).f1);
        expectClose(e.values.f1.lower!, f1Lo!, CLOSED_FORM, 'f1 lower');
        expectClose(e.values.f1.upper!, f1Hi!, CLOSED_FORM, 'f1 upper');
        expect(e.values.precision.samplingError).toBeNull();
        expect(e.rocAucMaxError).toBe(0);
      });

      it(`${what}: the streaming ROC AUC is within its stated bound of the exact one`, () => {
        const { state, exactRocAuc } = windowStateOf(est, 'ref', table, scores.length);
        const streaming = windowEstimates(est, state).performance!;
        expect(Math.abs(streaming.values.rocAuc.value - exactRocAuc)).toBeLessThanOrEqual(streaming.rocAucMaxError + 1e-12);
      });
    });
  }
});

describe('a window estimated from its sums matches the shared multiclass cases', () => {
  for (const c of multiclassCases) {
    const labels = c.labels as string[];
    const ref = obj(c.reference);
    const inputs = multiclassInputs(c, ref);
    const reference: Table = {
      label: Array.from(inputs.yTrue!, (i) => labels[i]!),
      prediction: Array.from(inputs.yPred, (i) => labels[i]!),
      ...Object.fromEntries(labels.map((l, i) => [l, inputs.scores[i]!])),
    };
    const est = fitEstimator(reference, inputs.yPred.length, { target: 'label', prediction: 'prediction', scores: labels, numerical: [], categorical: [] });

    (c.chunks as RefObject[]).forEach((chunk, k) => {
      it(`${String(c.id)} chunk ${k}: macro estimates`, () => {
        const cur = multiclassInputs(c, obj(chunk.inputs));
        const table: Table = { prediction: Array.from(cur.yPred, (i) => labels[i]!), ...Object.fromEntries(labels.map((l, i) => [l, cur.scores[i]!])) };
        const { state, exactRocAuc } = windowStateOf(est, 'ref', table, cur.yPred.length);
        const e = windowEstimates(est, state, exactRocAuc).performance!;
        const want = obj(obj(chunk.expected).calibrated);
        expect(est.cbpe!.task).toBe('multiclass');
        expectClose(e.values.accuracy.value, num(want.accuracy), CLOSED_FORM, 'accuracy', 1e-15);
        expectClose(e.values.f1.value, num(want.f1_macro), CLOSED_FORM, 'f1', 1e-15);
        expectClose(e.values.precision.value, num(want.precision_macro), CLOSED_FORM, 'precision', 1e-15);
        expectClose(e.values.rocAuc.value, num(want.roc_auc_ovr_macro), CLOSED_FORM, 'roc auc', 1e-15);
      });
    });
  }
});

/** A labelled reference where x drives the score; colour is a categorical feature. */
function reference(rows: number, seed: number): Table {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  const score = new Float64Array(rows);
  const label: string[] = [];
  const prediction: string[] = [];
  const colour: string[] = [];
  for (let i = 0; i < rows; i++) {
    x[i] = rand() * 4 - 2;
    y[i] = x[i]! * 0.5 + rand();
    score[i] = 1 / (1 + Math.exp(-2 * x[i]!));
    label.push(rand() < score[i]! ? '1' : '0');
    prediction.push(score[i]! >= 0.5 ? '1' : '0');
    colour.push(rand() < 0.3 ? 'red' : 'blue');
  }
  return { x, y, score, label, prediction, colour };
}
const ROLES: EstimatorRoles = { target: 'label', prediction: 'prediction', scores: ['score'], numerical: ['x', 'y'], categorical: ['colour'] };

function slice(t: Table, from: number, to: number): Table {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v instanceof Float64Array ? v.slice(from, to) : (v as string[]).slice(from, to)]));
}

describe('fitted estimator and window sums', () => {
  const ref = reference(2_000, 7);
  const est = fitEstimator(ref, 2_000, ROLES);

  it('fits CBPE and PCA, with reference bands around every chunk`s realized metric', () => {
    expect(est.cbpe?.task).toBe('binary');
    expect(est.pca?.model.pipeline.components.length).toBeGreaterThan(0);
    expect(est.chunkSize).toBe(200);
    const f1 = est.cbpe!.thresholds.f1!;
    expect(f1.lower).toBeLessThan(f1.upper);
    for (let k = 0; k < 10; k++) {
      const chunk = slice(ref, k * 200, (k + 1) * 200);
      const truth = slice(chunk, 0, 200);
      let tp = 0;
      let fp = 0;
      let fn = 0;
      const labels = truth.label as string[];
      const preds = truth.prediction as string[];
      labels.forEach((l, i) => {
        if (l === '1' && preds[i] === '1') tp++;
        else if (preds[i] === '1') fp++;
        else if (l === '1') fn++;
      });
      const realized = (2 * tp) / (2 * tp + fp + fn);
      expect(realized).toBeGreaterThanOrEqual(f1.lower);
      expect(realized).toBeLessThanOrEqual(f1.upper);
    }
  });

  it('says why an estimator cannot be fitted', () => {
    const noLabels = fitEstimator({ ...ref, label: new Array<string | null>(2_000).fill(null) }, 2_000, ROLES);
    expect(noLabels.cbpe).toBeNull();
    expect(noLabels.pca).not.toBeNull();
    expect(noLabels.notes.join()).toMatch(/no reference row has a label/);
    const noScores = fitEstimator({ x: ref.x!, y: ref.y!, colour: ref.colour!, label: ref.label!, prediction: ref.prediction! }, 2_000, ROLES);
    expect(noScores.notes.join()).toMatch(/no scores/);
  });

  it('survives JSON (the stored form) unchanged', () => {
    const cur = reference(300, 99);
    const a = windowStateOf(est, 'ref', cur, 300);
    const stored = JSON.parse(JSON.stringify(est));
    const b = windowStateOf(stored, 'ref', cur, 300);
    expect(windowEstimates(stored, JSON.parse(JSON.stringify(b.state)))).toEqual(windowEstimates(est, a.state));
  });

  it('leaves out rows without a prediction of a reference class or a valid score', () => {
    const cur: Table = { x: Float64Array.of(0, 1, 2), y: Float64Array.of(0, 1, 1), colour: ['red', 'blue', null], prediction: ['1', 'maybe', null], score: Float64Array.of(0.7, 0.2, 0.5) };
    const { state } = windowStateOf(est, 'ref', cur, 3);
    expect(state.cbpe!.rows).toBe(1);
    expect(state.cbpe!.skipped).toBe(2);
    expect(state.pca!.rows).toBe(3);
  });

  it('merging two windows` sums equals the sums of one window of both', () => {
    const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 1_000 }), (n1, n2, seed) => {
        const all = reference(n1 + n2, seed);
        const whole = windowStateOf(est, 'ref', all, n1 + n2).state;
        const merged = mergeWindowStates(windowStateOf(est, 'ref', slice(all, 0, n1), n1).state, windowStateOf(est, 'ref', slice(all, n1, n1 + n2), n2).state);
        expect(merged.cbpe!.rows).toBe(whole.cbpe!.rows);
        expect(merged.pca!.rows).toBe(whole.pca!.rows);
        expect(merged.cbpe!.histograms[0]!.bins).toEqual(whole.cbpe!.histograms[0]!.bins);
        expect(merged.cbpe!.histograms[0]!.count).toEqual(whole.cbpe!.histograms[0]!.count);
        const a = windowEstimates(est, merged).performance!;
        const b = windowEstimates(est, whole).performance!;
        for (const m of ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const) {
          const x = a.values[m].value;
          const y = b.values[m].value;
          expect(Number.isNaN(x) ? Number.isNaN(y) : near(x, y)).toBe(true);
        }
        const ra = windowEstimates(est, merged).reconstruction!;
        const rb = windowEstimates(est, whole).reconstruction!;
        expect(near(ra.error, rb.error)).toBe(true);
        expect(ra.drifted).toBe(rb.drifted);
      }),
      { numRuns: 40 },
    );
  });

  it('does not merge sums of another estimator: the newer is kept', () => {
    const cur = reference(50, 3);
    const old: EstimateWindowState = windowStateOf(est, 'old', cur, 50).state;
    const fresh = windowStateOf(est, 'new', slice(cur, 0, 10), 10).state;
    expect(mergeWindowStates(old, fresh)).toBe(fresh);
  });

  it('flags drift when the features stop moving together', () => {
    const cur = reference(1_000, 5);
    const y = cur.y as Float64Array;
    const x = cur.x as Float64Array;
    // y no longer follows x: the reconstruction error rises past the upper threshold.
    for (let i = 0; i < y.length; i++) y[i] = -x[i]! * 0.5 + 0.5;
    const r = windowEstimates(est, windowStateOf(est, 'ref', cur, 1_000).state).reconstruction!;
    expect(r.drifted).toBe(true);
    expect(r.error).toBeGreaterThan(r.upper);
    const same = windowEstimates(est, windowStateOf(est, 'ref', reference(1_000, 11), 1_000).state).reconstruction!;
    expect(same.drifted).toBe(false);
  });
});
