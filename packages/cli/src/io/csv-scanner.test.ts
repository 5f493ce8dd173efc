import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError } from '../cli-error.js';
import { CsvScanner } from './csv-scanner.js';

/** Scans text split into chunks at the given offsets; returns the records. */
function scan(text: string, cuts: number[] = []): string[][] {
  const records: string[][] = [];
  const scanner = new CsvScanner('t.csv', (fields) => records.push([...fields]));
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    scanner.push(text.slice(from, cut));
    from = cut;
  }
  scanner.push(text.slice(from));
  scanner.end();
  return records;
}

/** What csv-parse (the parser the CLI used before) reads. */
const oracle = (text: string): string[][] => parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];

const field = (v: string): string => (/[",\r\n]/.test(v) || v === '' ? `"${v.replace(/"/g, '""')}"` : v);

describe('CSV scanner', () => {
  it('reads quoting, doubled quotes, line breaks in quotes, BOM, CRLF, CR and blank lines', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"two\r\nlines",\r\n3,,""';
    expect(scan(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\r\nlines', ''],
      ['3', '', ''],
    ]);
    expect(scan('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(scan(text)).toEqual(oracle(text));
  });

  it('gives the same records wherever the input is cut into chunks', () => {
    const text = '\uFEFFname,note\n"Ann","a ""b""\nc"\r\nBo,x\n\n"",""\n';
    const whole = scan(text);
    for (let i = 0; i <= text.length; i++) for (let j = i; j <= text.length; j += 3) expect(scan(text, [i, j])).toEqual(whole);
  });

  it('reads what csv-parse reads, for any well-formed file and any chunking', () => {
    const value = fc.stringMatching(/^[a-c ,"\r\né1.]{0,6}$/);
    const doc = fc.record({
      rows: fc.array(fc.array(value, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      bom: fc.boolean(),
      finalEol: fc.boolean(),
      cuts: fc.array(fc.nat(200), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(doc, ({ rows, eol, bom, finalEol, cuts }) => {
        const text = (bom ? '\uFEFF' : '') + rows.map((r) => r.map(field).join(',')).join(eol) + (finalEol ? eol : '');
        expect(scan(text, cuts.map((c) => Math.min(c, text.length)))).toEqual(oracle(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects what csv-parse rejects, naming the record', () => {
    for (const [text, message] of [
      ['a,b\n1,"open', /record 2: quoted field not closed/],
      ['a,b\n1,x"y\n', /record 2: a quote inside unquoted field 2/],
      ['a,b\n"1"x,2\n', /record 2: text after the closing quote of field 1/],
    ] as const) {
      expect(() => oracle(text)).toThrow();
      expect(() => scan(text)).toThrow(CliError);
      expect(() => scan(text)).toThrow(message);
    }
  });
});
