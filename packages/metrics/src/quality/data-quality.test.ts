import { describe, expect, it } from 'vitest';
import { summarizeBoolean, summarizeCategorical, summarizeNumeric } from './column-summary.js';
import { newCategoryShare, outOfRangeShare, typeMismatchShare } from './reference-checks.js';
import { summarizeTable, type TableColumn } from './table-summary.js';
import { MetricsError } from '../errors.js';
import { CLOSED_FORM, cases, expectClose, loadReference, num, numericSample, obj, type RefObject, type RefValue } from '../test/reference.js';

// Expected values: pandas 3.0 (data_quality.json).
const ref = loadReference('data_quality.json');
const [frame, large] = cases(ref);

function expectMode(got: unknown, e: RefObject): void {
  const modes = e.modes_sorted as RefValue[];
  if (modes.length === 0) expect(got).toBeNull();
  else expect(modes).toContainEqual(got);
}

function checkBase(got: ReturnType<typeof summarizeCategorical>, e: RefObject): void {
  expect(got.count).toBe(e.count_non_missing);
  expect(got.missingCount).toBe(e.missing_count);
  expectClose(got.missingShare, num(e.missing_share), CLOSED_FORM, 'missing share');
  expect(got.distinctCount).toBe(e.distinct_count);
  expect(got.mostCommonCount).toBe(e.most_common_count);
  expectClose(got.mostCommonShare, num(e.most_common_share_of_non_missing), CLOSED_FORM, 'mode share');
  expectMode(got.mostCommonValue, e);
}

describe('column summaries match pandas', () => {
  const inputs = obj(obj(frame!.inputs).columns);
  const expected = obj(obj(frame!.expected).columns);
  const table: Record<string, TableColumn> = {};

  for (const [name, spec] of Object.entries(inputs)) {
    const e = obj(expected[name]);
    const s = obj(spec);
    it(`${name} (${String(e.pandas_dtype)})`, () => {
      if (e.pandas_dtype === 'bool') {
        const values = s.values as boolean[];
        table[name] = values;
        const got = summarizeBoolean(values);
        checkBase({ ...got, minCategory: null, maxCategory: null }, e);
        expect(got.trueCount).toBe(e.true_count);
        expectClose(got.mean, num(e.mean), CLOSED_FORM, 'mean');
      } else if (e.pandas_dtype === 'object') {
        const values = ((s.values_as_strings ?? s.values) as RefValue[]).map((v) => (v === null ? null : String(v)));
        table[name] = values;
        const got = summarizeCategorical(values);
        checkBase(got, e);
        expect(got.minCategory).toBe(e.min_lexicographic);
        expect(got.maxCategory).toBe(e.max_lexicographic);
      } else {
        const values = s.generator !== undefined ? numericSample(s) : Float64Array.from(s.values as RefValue[], num);
        table[name] = values;
        const got = summarizeNumeric(values, [0.25, 0.75]);
        checkBase({ ...got, minCategory: null, maxCategory: null }, e);
        const close = (v: number, key: string): void => expectClose(v, num(e[key]), CLOSED_FORM, key, 1e-15);
        close(got.min, 'min');
        close(got.max, 'max');
        close(got.mean, 'mean');
        close(got.stdPopulation, 'std_ddof0');
        close(got.std, 'std_ddof1');
        close(got.median, 'median');
        close(got.sum, 'sum');
        close(got.quantiles[0]!.value, 'quantile_0.25_linear');
        close(got.quantiles[1]!.value, 'quantile_0.75_linear');
        expect(got.zerosCount).toBe(e.zeros_count);
        expect(got.negativeCount).toBe(e.negative_count);
      }
    });
  }

  it('table: missing cells, duplicated rows, constant and empty columns', () => {
    const e = obj(obj(frame!.expected).table);
    const got = summarizeTable(table);
    expect(got.rows).toBe(e.n_rows);
    expect(got.columns).toBe(e.n_columns);
    expect(got.missingCells).toBe(e.missing_cells);
    expectClose(got.missingCellsShare, num(e.missing_cells_share), CLOSED_FORM, 'missing cells share');
    expect(got.rowsWithAnyMissing).toBe(e.rows_with_any_missing);
    expect(got.duplicatedRows).toBe(e.duplicated_rows);
    expect(got.constantColumns).toEqual(e.constant_columns);
    expect(got.emptyColumns).toEqual(e.empty_columns);
  });

  it(`${String(large!.id)}: regenerated 200k column`, () => {
    const e = obj(large!.expected);
    const got = summarizeNumeric(numericSample(obj(large!.inputs).column));
    expect(got.count).toBe(e.count_non_missing);
    expect(got.missingCount).toBe(e.missing_count);
    expect(got.distinctCount).toBe(e.distinct_count);
    expectClose(got.missingShare, num(e.missing_share), CLOSED_FORM, 'missing share');
    for (const [k, v] of [
      ['min', got.min],
      ['max', got.max],
      ['mean', got.mean],
      ['std_ddof0', got.stdPopulation],
      ['std_ddof1', got.std],
      ['median', got.median],
    ] as const) {
      expectClose(v, num(e[k]), CLOSED_FORM, k);
    }
  });
});

describe('data quality against the reference', () => {
  it('counts current values outside the reference range among non-missing values', () => {
    expect(outOfRangeShare(Float64Array.of(0, 1, 5, NaN, -1), 0, 4)).toBeCloseTo(2 / 4, 15);
    expect(outOfRangeShare(Float64Array.of(NaN), 0, 1)).toBeNaN();
    expect(() => outOfRangeShare(Float64Array.of(1), NaN, NaN)).toThrow(MetricsError);
  });

  it('counts categories never seen in the reference', () => {
    expect(newCategoryShare(['a', 'b', null], ['a', 'c', 'c', null, 'b'])).toBeCloseTo(2 / 4, 15);
  });

  it('counts values whose type does not match the column kind, missing excluded', () => {
    expect(typeMismatchShare([1, '2', null, 3, true], 'numerical')).toBeCloseTo(2 / 4, 15);
    expect(typeMismatchShare(['a', 1, undefined], 'categorical')).toBeCloseTo(1 / 2, 15);
    expect(typeMismatchShare([true, false, 'x'], 'boolean')).toBeCloseTo(1 / 3, 15);
  });

  it('finds duplicated rows and almost-constant columns', () => {
    const t = summarizeTable({
      a: Float64Array.of(1, 1, 2, 1, NaN, NaN),
      b: ['x', 'x', 'y', 'x', null, null],
    });
    expect(t.duplicatedRows).toBe(3);
    expect(t.duplicatedRowsShare).toBeCloseTo(0.5, 15);
    const almost = summarizeTable({ c: Float64Array.from({ length: 100 }, (_, i) => (i < 96 ? 1 : i)) });
    expect(almost.almostConstantColumns).toEqual(['c']);
  });
});
