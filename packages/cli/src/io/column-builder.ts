import { parseNumber, type ColumnValues, type EncodedCategories } from '@vigil/metrics';
import { sharedFloat64Array, sharedInt32Array } from '@vigil/metrics/node';
import { CliError } from '../cli-error.js';

/**
 * Whether a cell's text reads as missing: '', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL' (pandas'
 * most common NA markers). By length, then comparison: no hashing of every short cell.
 */
export function isMissingToken(text: string): boolean {
  switch (text.length) {
    case 0:
      return true;
    case 2:
      return text === 'NA';
    case 3:
      return text === 'N/A' || text === 'NaN' || text === 'nan';
    case 4:
      return text === 'null' || text === 'NULL';
    default:
      return false;
  }
}

export type ColumnMode = 'infer' | 'numerical' | 'categorical';

const INITIAL_CAPACITY = 1024;

/**
 * Builds one typed column while a file streams: numbers go straight into a Float64Array
 * (NaN = missing) on shared memory; the first value that is not a number turns the column
 * into dictionary codes (earlier numbers become their shortest decimal text). Growth doubles
 * the buffer, so appending is amortised O(1) with no per-value allocation.
 */
export class ColumnBuilder {
  private numbers: Float64Array | null = sharedFloat64Array(INITIAL_CAPACITY);
  private codes: Int32Array | null = null;
  private readonly index = new Map<string, number>();
  private readonly categories: string[] = [];
  length = 0;

  constructor(
    readonly name: string,
    private readonly mode: ColumnMode,
  ) {
    if (mode === 'categorical') this.toCategorical();
  }

  /** Appends a raw cell: text from CSV, or a JSON value from JSONL (null/undefined = missing). */
  push(raw: string | number | boolean | null | undefined, row: number): void {
    if (raw === null || raw === undefined || (typeof raw === 'string' && isMissingToken(raw))) {
      this.append(NaN, null);
      return;
    }
    if (this.numbers) {
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumber(raw) : NaN;
      if (!Number.isNaN(v)) {
        this.append(v, null);
        return;
      }
      if (this.mode === 'numerical') {
        throw new CliError(`column '${this.name}' is declared numerical but row ${row} holds '${String(raw)}'`);
      }
      this.toCategorical();
    }
    this.append(NaN, String(raw));
  }

  /** Makes room for `rows` values in all (a size estimate, so appending rarely regrows). */
  reserve(rows: number): void {
    if (this.numbers && rows > this.numbers.length) this.numbers = grow(this.numbers, sharedFloat64Array, rows);
    else if (this.codes && rows > this.codes.length) this.codes = grow(this.codes, sharedInt32Array, rows);
  }

  private append(value: number, category: string | null): void {
    if (this.numbers) {
      if (this.length === this.numbers.length) this.numbers = grow(this.numbers, sharedFloat64Array);
      this.numbers[this.length++] = value;
      return;
    }
    let codes = this.codes!;
    if (this.length === codes.length) codes = this.codes = grow(codes, sharedInt32Array);
    codes[this.length++] = category === null ? -1 : this.code(category);
  }

  private code(category: string): number {
    let c = this.index.get(category);
    if (c === undefined) {
      c = this.categories.length;
      this.index.set(category, c);
      this.categories.push(category);
    }
    return c;
  }

  private toCategorical(): void {
    const numbers = this.numbers!;
    const codes = sharedInt32Array(Math.max(numbers.length, INITIAL_CAPACITY));
    for (let i = 0; i < this.length; i++) codes[i] = Number.isNaN(numbers[i]!) ? -1 : this.code(String(numbers[i]));
    this.numbers = null;
    this.codes = codes;
  }

  /** The column, exactly `length` values long (a view on the shared buffer). */
  finish(): ColumnValues {
    if (this.numbers) return this.numbers.subarray(0, this.length);
    const encoded: EncodedCategories = { codes: this.codes!.subarray(0, this.length), categories: this.categories };
    return encoded;
  }
}

function grow<T extends Float64Array | Int32Array>(x: T, make: (n: number) => T, length = x.length * 2): T {
  const bigger = make(length);
  bigger.set(x);
  return bigger;
}
