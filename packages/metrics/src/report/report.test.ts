import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { planReport } from './plan.js';
import { inferTask } from './performance-report.js';
import { encodeCategories, parseNumber, type Table } from './table.js';
import type { ClassificationReport, RegressionReport } from './report.types.js';
import { binSamples, sturgesEdges } from '../drift/binning.js';
import { computeColumnDrift, prepareNumeric } from '../drift/column-drift.js';
import { computeDatasetDrift } from '../drift/dataset-drift.js';
import { hellinger } from '../drift/hellinger.js';
import { proportions } from '../drift/smoothing.js';
import { MetricsError } from '../errors.js';
import { classificationMetrics } from '../performance/classification.js';
import { generateSample } from '../prng/generate.js';
import { newCategoryShare, outOfRangeShare } from '../quality/reference-checks.js';
import { summarizeNumeric } from '../quality/column-summary.js';
import {
  cases,
  CLOSED_FORM,
  expectClose,
  loadReference,
  num,
  nums,
  numericSample,
  obj,
  stringSample,
  type RefObject,
} from '../test/reference.js';

const normal = (n: number, mu: number, seed: number, missing = 0): Float64Array =>
  generateSample({ dist: 'normal', mu, sigma: 1, seed, n, ...(missing > 0 ? { missing: { rate: missing, seed: seed + 1 } } : {}) }) as Float64Array;
const ints = (n: number, hi: number, seed: number): Float64Array => generateSample({ dist: 'integer_uniform', lo: 0, hi, seed, n }) as Float64Array;
const labels = (n: number, values: string[], weights: number[], seed: number): (string | null)[] =>
  generateSample({ dist: 'discrete', values, weights, seed, n, missing: { rate: 0.02, seed: seed + 7 } }) as (string | null)[];

function tables(n: number): { reference: Table; current: Table } {
  return {
    reference: {
      x: normal(n, 0, 1, 0.01),
      k: ints(n, 9, 2),
      city: labels(n, ['Berlin', 'Paris', 'Rome'], [5, 3, 2], 3),
    },
    current: {
      x: normal(n, 0.2, 11),
      k: ints(n, 12, 12),
      city: labels(n, ['Berlin', 'Paris', 'Rome', 'Oslo'], [4, 3, 2, 1], 13),
    },
  };
}

describe('report columns equal the metrics computed directly', () => {
  const { reference, current } = tables(3000);
  const report = buildReport(reference, current);

  it('infers types and keeps the table order', () => {
    expect(report.columns.map((c) => [c.name, c.type])).toEqual([
      ['x', 'numerical'],
      ['k', 'numerical'],
      ['city', 'categorical'],
    ]);
    expect(report.reference.rows).toBe(3000);
    expect(report.current.rows).toBe(3000);
  });

  it('reports each column drift as computeColumnDrift on the same data', () => {
    for (const c of report.columns) {
      const direct = computeColumnDrift(reference[c.name] as Float64Array, current[c.name] as Float64Array, c.type);
      expect(c.drift).toEqual({ test: direct.test, score: direct.score, threshold: direct.threshold, drifted: direct.drifted, scoreKind: direct.scoreKind });
      expect(c.divergences!.psi).toBe(direct.psi);
      expect(c.divergences!.jensenShannon).toBe(direct.jensenShannon);
      expect(c.divergences!.wassersteinNormed).toBe(direct.wassersteinNormed ?? null);
    }
    expect(report.columns.map((c) => c.drift!.test)).toEqual(['wasserstein', 'wasserstein', 'jensenshannon']);
  });

  it('computes Hellinger and the histogram on the report binning', () => {
    const x = report.columns[0]!;
    const ref = prepareNumeric(reference.x as Float64Array).sorted;
    const cur = prepareNumeric(current.x as Float64Array).sorted;
    const bins = binSamples(ref, cur, 'evidently_default');
    expect(x.distribution).toEqual({
      kind: 'histogram',
      edges: Array.from(sturgesEdges(ref, cur)),
      reference: Array.from(proportions(bins.reference)),
      current: Array.from(proportions(bins.current)),
    });
    expect(x.divergences!.hellinger).toBe(hellinger(proportions(bins.reference), proportions(bins.current)));
  });

  it('bins a numerical column with at most 20 reference values per value', () => {
    const k = report.columns[1]!;
    expect(k.distribution!.kind).toBe('categories');
    if (k.distribution!.kind !== 'categories') return;
    expect(k.distribution!.categories).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(k.distribution!.reference.slice(10)).toEqual([0, 0, 0]);
    expect(k.distribution!.other).toBeNull();
  });

  it('reports current data quality against the reference range and categories', () => {
    const x = report.columns[0]!.quality;
    const s = summarizeNumeric(current.x as Float64Array);
    const r = summarizeNumeric(reference.x as Float64Array);
    expect(x).toEqual({
      missingShare: s.missingShare,
      distinct: s.distinctCount,
      min: s.min,
      max: s.max,
      mean: s.mean,
      std: s.std,
      outOfRangeShare: outOfRangeShare(current.x as Float64Array, r.min, r.max),
      newCategoryShare: null,
    });
    const city = report.columns[2]!.quality;
    const cur = current.city as (string | null)[];
    expect(city.newCategoryShare).toBe(newCategoryShare(reference.city as (string | null)[], cur));
    expect(city.missingShare).toBe(cur.filter((v) => v === null).length / cur.length);
    expect(city.distinct).toBe(4);
    expect(city.mean).toBeNull();
  });

  it('gives categorical shares over non-missing values, most frequent first', () => {
    const d = report.columns[2]!.distribution!;
    if (d.kind !== 'categories') throw new Error('expected categories');
    expect(d.categories).toEqual(['Berlin', 'Paris', 'Rome', 'Oslo']);
    expect(d.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.current.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.reference[3]).toBe(0);
  });

  it('summarises dataset drift as computeDatasetDrift does', () => {
    const direct = computeDatasetDrift(
      report.columns.map((c) => ({ name: c.name, kind: c.type, reference: reference[c.name] as Float64Array, current: current[c.name] as Float64Array })),
    );
    expect(report.dataset).toEqual({
      columns: 3,
      driftedColumns: direct.driftedColumns,
      driftedShare: direct.driftedShare,
      driftShare: 0.5,
      drifted: direct.datasetDrift,
    });
  });

  it('gives the same report for dictionary-encoded categories', () => {
    const encoded = buildReport(
      { ...reference, city: encodeCategories(reference.city as (string | null)[]) },
      { ...current, city: encodeCategories(current.city as (string | null)[]) },
    );
    expect(encoded).toEqual(report);
  });
});

describe('report options', () => {
  const { reference, current } = tables(800);

  it('passes per-column, per-type and global tests and thresholds through', () => {
    const r = buildReport(reference, current, {
      test: 'psi',
      perKind: { categorical: { test: 'chisquare', threshold: 0.01 } },
      perColumn: { x: { test: 'ks' } },
    });
    expect(r.columns.map((c) => [c.drift!.test, c.drift!.threshold])).toEqual([
      ['ks', 0.05],
      ['psi', 0.1],
      ['chisquare', 0.01],
    ]);
    expect(r.columns[0]!.drift!.score).toBe(computeColumnDrift(reference.x as Float64Array, current.x as Float64Array, 'numerical', { test: 'ks' }).score);
  });

  it('applies Benjamini–Hochberg across p-value columns as computeDatasetDrift does', () => {
    const r = buildReport(reference, current, { test: 'ks', perKind: { categorical: { test: 'chisquare' } }, falseDiscoveryRate: 'benjamini-hochberg', driftShare: 0.3 });
    const direct = computeDatasetDrift(
      r.columns.map((c) => ({ name: c.name, kind: c.type, reference: reference[c.name] as Float64Array, current: current[c.name] as Float64Array })),
      { test: 'ks', perKind: { categorical: { test: 'chisquare' } }, falseDiscoveryRate: 'benjamini-hochberg', driftShare: 0.3 },
    );
    r.columns.forEach((c, i) => {
      expect(c.drift!.pValueAdjusted).toBe(direct.columns[i]!.pValueAdjusted);
      expect(c.drift!.drifted).toBe(direct.columns[i]!.drifted);
    });
    expect(r.dataset.drifted).toBe(direct.datasetDrift);
    expect(r.dataset.driftShare).toBe(0.3);
  });

  it('infers numbers written as text as numerical unless told otherwise', () => {
    const ref = { a: ['1', '2.5', null, '3'], b: ['1', 'x', '2', '3'] };
    const cur = { a: ['2', '1e1', '4', null], b: ['1', '2', '3', '4'] };
    const r = buildReport(ref, cur);
    expect(r.columns.map((c) => c.type)).toEqual(['numerical', 'categorical']);
    expect(r.columns[0]!.quality.max).toBe(10);
    const forced = buildReport(ref, cur, { categorical: ['a'] });
    expect(forced.columns[0]!.type).toBe('categorical');
    expect(() => buildReport(ref, cur, { numerical: ['b'] })).toThrow(/numerical but holds the value 'x'/);
  });

  it('keeps target, prediction and score columns out of the features', () => {
    const ref = { f: normal(50, 0, 1), y: ints(50, 1, 2), p: ints(50, 1, 3), s: normal(50, 0, 4).map((v) => Math.abs(v) / 6) };
    const plan = planReport(ref, ref, { target: 'y', prediction: 'p', scores: 's' });
    expect(plan.tasks.map((t) => t.name)).toEqual(['f']);
  });

  it('rejects unknown columns and a feature missing from the current data', () => {
    const { reference: ref, current: cur } = tables(50);
    expect(() => buildReport(ref, cur, { target: 'nope', prediction: 'x' })).toThrow(MetricsError);
    expect(() => buildReport(ref, cur, { numerical: ['nope'] })).toThrow(/not in the reference/);
    const { x: _dropped, ...rest } = cur;
    expect(() => buildReport(ref, rest)).toThrow(/'x' is in the reference but not in the current data/);
    expect(buildReport(ref, { ...cur, extra: cur.x! }).warnings[0]).toMatch(/only in the current data.*extra/);
  });

  it('reports a column with no current values without drift instead of failing', () => {
    const r = buildReport({ a: normal(20, 0, 1) }, { a: new Float64Array(20).fill(NaN) });
    expect(r.columns[0]!.drift).toBeNull();
    expect(r.columns[0]!.quality.missingShare).toBe(1);
    expect(r.dataset.columns).toBe(0);
    expect(r.warnings.join()).toMatch(/'a': drift not computed/);
  });

  it('keeps the top categories and folds the rest into other', () => {
    const values = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const ref = labels(4000, values, values.map((_, i) => (i < 5 ? 1000 - 100 * i : 5)), 1);
    const r = buildReport({ c: ref }, { c: ref }, { distributionCategories: 5 });
    const d = r.columns[0]!.distribution!;
    if (d.kind !== 'categories') throw new Error('expected categories');
    expect(d.categories).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(d.other!.reference + d.reference.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('report drift matches scipy on the reference cases', () => {
  const numerical = loadReference('numerical_drift.json');
  for (const c of cases(numerical).filter((c) => ['mean_shift', 'small_n30', 'nan_removed', 'n5000_small_shift'].includes(String(c.id)))) {
    it(`${String(c.id)}: KS p-value and normed Wasserstein`, () => {
      const inputs = obj(c.inputs);
      const e = obj(c.expected);
      const ref = { v: numericSample(inputs.reference) };
      const cur = { v: numericSample(inputs.current) };
      const ks = buildReport(ref, cur, { test: 'ks' }).columns[0]!;
      expectClose(ks.drift!.score!, num(obj(e.ks_2samp).pvalue), 1e-6, 'ks p-value');
      expectClose(ks.divergences!.wassersteinNormed!, num(obj(e.wasserstein).normed_evidently), CLOSED_FORM, 'normed wasserstein');
      const w = buildReport(ref, cur, { test: 'wasserstein' }).columns[0]!;
      expectClose(w.drift!.score!, num(obj(e.wasserstein).normed_evidently), CLOSED_FORM, 'wasserstein score');
    });
  }

  const categorical = loadReference('categorical_drift.json');
  for (const c of cases(categorical).filter((c) => ['shift_4', 'new_category_in_current'].includes(String(c.id)))) {
    it(`${String(c.id)}: chi-square p-value, Jensen–Shannon and Hellinger`, () => {
      const inputs = obj(c.inputs);
      const e = obj(c.expected);
      const ref = { c: stringSample(inputs.reference) };
      const cur = { c: stringSample(inputs.current) };
      const col = buildReport(ref, cur, { test: 'chisquare' }).columns[0]!;
      expectClose(col.drift!.score!, num(obj(e.chisquare_gof).pvalue), 1e-9, 'chi-square p-value', 1e-300);
      const raw = obj(obj(e.divergences).raw);
      expectClose(col.divergences!.jensenShannon!, num(raw.js_distance_base_e), CLOSED_FORM, 'js');
      expectClose(col.divergences!.hellinger!, num(raw.hellinger), CLOSED_FORM, 'hellinger');
    });
  }
});

describe('report performance matches scikit-learn on the reference cases', () => {
  const ref = loadReference('classification.json');
  const close = (got: number | null, expected: RefObject, key: string): void => expectClose(got!, num(expected[key]), CLOSED_FORM, key, 1e-15);

  for (const c of cases(ref)) {
    const inputs = obj(c.inputs);
    const e = obj(c.expected);
    const lm = obj(e.label_metrics);
    const pm = obj(e.probability_metrics);
    const y = Float64Array.from(nums(inputs.y_true));
    const p = Float64Array.from(nums(e.y_pred));
    if (inputs.y_score !== undefined) {
      it(`${String(c.id)}: binary`, () => {
        const table = { f: y.map((v, i) => i % 7), y, p, s: Float64Array.from(nums(inputs.y_score)) };
        const r = buildReport(table, table, { target: 'y', prediction: 'p', scores: 's' });
        const m = r.performance!.current as ClassificationReport;
        expect(r.performance!.task).toBe('binary');
        expect(m.positiveLabel).toBe(1);
        close(m.accuracy, lm, 'accuracy');
        close(m.precision, lm, 'precision_binary');
        close(m.recall, lm, 'recall_binary');
        close(m.f1, lm, 'f1_binary');
        if (pm.roc_auc === null) expect(m.rocAuc).toBeNull();
        else close(m.rocAuc, pm, 'roc_auc');
        close(m.logLoss, pm, 'log_loss');
        expect(r.performance!.reference).toEqual(m);
      });
    } else {
      it(`${String(c.id)}: multiclass with one score column per class`, () => {
        const classes = nums(inputs.labels);
        const proba = inputs.y_proba as number[][];
        const table: Record<string, Float64Array> = { y, p };
        classes.forEach((k, j) => (table[String(k)] = Float64Array.from(proba, (row) => row[j]!)));
        const r = buildReport(table, table, { target: 'y', prediction: 'p', scores: classes.map(String) });
        expect(r.performance!.task).toBe('multiclass');
        expect(r.columns).toEqual([]);
        const m = r.performance!.current as ClassificationReport;
        close(m.accuracy, lm, 'accuracy');
        close(m.precision, lm, 'precision_macro');
        close(m.recall, lm, 'recall_macro');
        close(m.f1, lm, 'f1_macro');
        close(m.rocAuc, pm, 'roc_auc_ovr_macro');
        close(m.logLoss, pm, 'log_loss');
        expect(m.confusionMatrix).toEqual(lm.confusion_matrix);
        const direct = classificationMetrics(Array.from(y), Array.from(p));
        expect(m.perClass!.map((k) => k.f1)).toEqual(direct.perClass.f1);
        m.perClass!.forEach((k, j) => expectClose(k.rocAuc!, nums(pm.roc_auc_ovr_per_class)[j]!, CLOSED_FORM, `auc ${j}`));
      });
    }
  }

  it('regression metrics as regressionMetrics, on rows with both values', () => {
    const regression = loadReference('regression.json');
    const c = cases(regression)[0]!;
    const y = Float64Array.from(nums(obj(c.inputs).y_true));
    const p = Float64Array.from(nums(obj(c.inputs).y_pred));
    const e = obj(c.expected);
    const withGap = { y: Float64Array.of(...y, NaN), p: Float64Array.of(...p, 1) };
    const r = buildReport(withGap, withGap, { target: 'y', prediction: 'p' });
    expect(r.performance!.task).toBe('regression');
    const m = r.performance!.current as RegressionReport;
    expect(m.rows).toBe(y.length);
    for (const [key, want] of [
      ['mae', 'mae'],
      ['rmse', 'rmse'],
      ['mape', 'mape'],
      ['r2', 'r2'],
      ['meanError', 'mean_error_pred_minus_true'],
    ] as const) {
      expectClose(m[key], num(e[want]), CLOSED_FORM, key);
    }
  });
});

describe('task inference', () => {
  it('reads regression, binary and multiclass from the target', () => {
    expect(inferTask(Float64Array.of(0.5, 1.25, 3), undefined, null)).toBe('regression');
    expect(inferTask(Float64Array.from({ length: 30 }, (_, i) => i), undefined, null)).toBe('regression');
    expect(inferTask(Float64Array.of(0, 1, 1, NaN), Float64Array.of(1, 1, 0, 0), null)).toBe('binary');
    expect(inferTask(['yes', 'no', null], undefined, 's')).toBe('binary');
    expect(inferTask(Float64Array.of(0, 1, 2), undefined, null)).toBe('multiclass');
    expect(inferTask(['a', 'b'], undefined, ['a', 'b', 'c'])).toBe('multiclass');
  });

  it('derives binary predictions from the positive-class score when no prediction is given', () => {
    const t = { y: ['no', 'yes', 'yes', 'no'], s: Float64Array.of(0.2, 0.9, 0.4, 0.6) };
    const r = buildReport(t, t, { target: 'y', scores: 's' });
    const m = r.performance!.current as ClassificationReport;
    expect(m.positiveLabel).toBe('yes');
    expect(m.confusionMatrix).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(m.rocAuc).toBe(0.75);
  });
});

describe('number parsing for inferred columns', () => {
  it('reads decimal and scientific notation, rejects blanks and hex literals', () => {
    expect([' 1.5', '-2e3', '+7', 'Infinity', '0.1e-2'].map(parseNumber)).toEqual([1.5, -2000, 7, Infinity, 0.001]);
    for (const s of ['', '  ', '0x1F', '-0b101', '0o7', 'abc', '1,5']) expect(parseNumber(s)).toBeNaN();
  });
});

describe('performance with a reference that has no ground truth', () => {
  it('reports current performance and says why the reference has none', () => {
    const reference = { x: Float64Array.from([1, 2, 3, 4]), y: Float64Array.from([NaN, NaN, NaN, NaN]), p: Float64Array.from([0, 1, 0, 1]) };
    const current = { x: Float64Array.from([1, 2, 3, 4]), y: Float64Array.from([0, 1, 1, 1]), p: Float64Array.from([0, 1, 0, 1]) };
    const r = buildReport(reference, current, { target: 'y', prediction: 'p', task: 'binary' });
    expect(r.performance?.current).toMatchObject({ accuracy: 0.75 });
    expect(r.performance?.reference).toBeUndefined();
    expect(r.warnings.join('\n')).toMatch(/reference performance not computed/);
  });
});
