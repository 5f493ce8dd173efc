import { MetricsError } from '../errors.js';

/** A categorical column as dictionary codes: `categories[codes[i]]`, code −1 = missing. */
export interface EncodedCategories {
  readonly codes: Int32Array;
  readonly categories: readonly string[];
}

/**
 * One column of a table: numbers (NaN = missing), strings (null = missing), or strings
 * dictionary-encoded (the compact form readers build for large files).
 */
export type ColumnValues = Float64Array | readonly (string | null)[] | EncodedCategories;

/** Columnar data: column name → values, every column of equal length. */
export type Table = Readonly<Record<string, ColumnValues>>;

export type ReportColumnType = 'numerical' | 'categorical';

export function isEncoded(values: ColumnValues): values is EncodedCategories {
  return !(values instanceof Float64Array) && !Array.isArray(values);
}

export function columnLength(values: ColumnValues): number {
  return isEncoded(values) ? values.codes.length : values.length;
}

/** Rows of a table. @throws MetricsError when its columns differ in length. */
export function tableRows(table: Table, what: string): number {
  let rows: number | undefined;
  for (const [name, values] of Object.entries(table)) {
    const n = columnLength(values);
    if (rows === undefined) rows = n;
    else if (n !== rows) throw new MetricsError(`${what}: column '${name}' has ${n} rows, expected ${rows}`);
  }
  return rows ?? 0;
}

/** A string read as a number: decimal or scientific notation, or ±Infinity; NaN when it is not one. */
export function parseNumber(text: string): number {
  const v = Number(text);
  if (Number.isNaN(v)) return NaN;
  // Number() reads blank text as 0 and also accepts hex/octal/binary literals; a data file means neither.
  if (v === 0 && text.trim() === '') return NaN;
  const t = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.charCodeAt(t) === 48) {
    const c = text.charCodeAt(t + 1) | 32; // lower case
    if (c === 120 || c === 111 || c === 98) return NaN; // 0x, 0o, 0b
  }
  return v;
}

function allNumeric(strings: Iterable<string | null>): boolean {
  for (const s of strings) if (s !== null && Number.isNaN(parseNumber(s))) return false;
  return true;
}

/** numerical when every non-missing value is a number, categorical otherwise. */
export function inferColumnType(values: ColumnValues): ReportColumnType {
  if (values instanceof Float64Array) return 'numerical';
  return allNumeric(isEncoded(values) ? values.categories : values) ? 'numerical' : 'categorical';
}

/** The column as numbers (NaN = missing). @throws MetricsError on a value that is not a number. */
export function toNumeric(values: ColumnValues, name: string): Float64Array {
  if (values instanceof Float64Array) return values;
  const parse = (s: string | null): number => {
    if (s === null) return NaN;
    const v = parseNumber(s);
    if (Number.isNaN(v)) throw new MetricsError(`column '${name}' is numerical but holds the value '${s}'`);
    return v;
  };
  if (isEncoded(values)) {
    const lookup = values.categories.map(parse);
    return Float64Array.from(values.codes, (c) => (c < 0 ? NaN : lookup[c]!));
  }
  return Float64Array.from(values, parse);
}

/** Dictionary-encodes strings (null = missing) in order of first appearance, into `codes` if given. */
export function encodeCategories(values: readonly (string | null)[], codes: Int32Array = new Int32Array(values.length)): EncodedCategories {
  const index = new Map<string, number>();
  const categories: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = categories.length;
      index.set(v, c);
      categories.push(v);
    }
    codes[i] = c;
  }
  return { codes, categories };
}

/** The column as categories; numbers are written in JavaScript's shortest form (NaN = missing). */
export function toCategorical(values: ColumnValues): EncodedCategories {
  if (isEncoded(values)) return values;
  if (values instanceof Float64Array) return encodeCategories(Array.from(values, (v) => (Number.isNaN(v) ? null : String(v))));
  return encodeCategories(values);
}

/** Count per category of an encoded column, missing excluded. */
export function tallyEncoded(values: EncodedCategories): Map<string, number> {
  const counts = new Float64Array(values.categories.length);
  const { codes } = values;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  const tally = new Map<string, number>();
  values.categories.forEach((name, c) => {
    if (counts[c]! > 0) tally.set(name, (tally.get(name) ?? 0) + counts[c]!);
  });
  return tally;
}
