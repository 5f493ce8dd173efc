import { describe, expect, it } from 'vitest';
import { ColumnBuilder, isMissingToken } from './column-builder.js';
import { CliError } from '../cli-error.js';

const build = (mode: ConstructorParameters<typeof ColumnBuilder>[1], cells: (string | number | boolean | null)[]): ReturnType<ColumnBuilder['finish']> => {
  const b = new ColumnBuilder('c', mode);
  cells.forEach((v, i) => b.push(v, i + 1));
  return b.finish();
};

describe('column builder', () => {
  it('keeps an all-number column as a Float64Array on shared memory, missing as NaN', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 10 === 0 ? '' : String(i / 4)));
    const c = build('infer', values);
    expect(c).toBeInstanceOf(Float64Array);
    const x = c as Float64Array;
    expect(x.length).toBe(3000);
    expect(x.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Number.isNaN(x[0]!)).toBe(true);
    expect(x[2999]).toBe(2999 / 4);
  });

  it('switches to dictionary codes at the first text value, keeping earlier numbers as text', () => {
    const c = build('infer', ['1', '2.50', 'NA', 'x', '1', null]);
    expect(c).toEqual({ codes: Int32Array.of(0, 1, -1, 2, 0, -1), categories: ['1', '2.5', 'x'] });
  });

  it('reads JSON numbers as numbers and booleans as categories', () => {
    expect(build('infer', [1, 2.5, null])).toEqual(Float64Array.of(1, 2.5, NaN));
    expect(build('infer', [true, false, true])).toEqual({ codes: Int32Array.of(0, 1, 0), categories: ['true', 'false'] });
  });

  it('keeps a forced categorical column as text and rejects text in a forced numerical one', () => {
    expect(build('categorical', ['007', '7', ''])).toEqual({ codes: Int32Array.of(0, 1, -1), categories: ['007', '7'] });
    expect(() => build('numerical', ['1', 'two'])).toThrow(CliError);
    expect(() => build('numerical', ['1', 'two'])).toThrow("column 'c' is declared numerical but row 2 holds 'two'");
  });

  it('reads exactly the documented missing tokens as missing', () => {
    for (const t of ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']) expect(isMissingToken(t)).toBe(true);
    for (const t of [' ', 'na', 'N', 'NAN', 'Null', 'nulls', 'None', '0', 'NA ', 'n/a']) expect(isMissingToken(t)).toBe(false);
  });
});
