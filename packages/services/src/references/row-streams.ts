import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ReferenceLimits, VigilError } from '@vigil/contracts';

export type ReferenceRow = Record<string, number | string | boolean | null>;

/**
 * A decimal number. Linear on any input: after the integer digits only a '.' may follow, so a
 * failed match gives digits back one at a time without retrying the split between two digit runs
 * (`\d+\.?\d*` did: quadratic in a long digit run followed by a letter — a 200 KB cell froze the
 * process for seconds).
 */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** No number needs more characters than this (17 significant digits, sign, point and exponent with room). */
const MAX_NUMBER_CHARS = 400;

/** CSV cells are text: empty → null, true/false → boolean, numeric → number, else the string. */
export function castCell(value: string): number | string | boolean | null {
  if (value === '') return null;
  if (value === 'true' || value === 'TRUE' || value === 'True') return true;
  if (value === 'false' || value === 'FALSE' || value === 'False') return false;
  if (value.length <= MAX_NUMBER_CHARS && NUMBER.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
  }
  return value;
}

/** Rows of a CSV stream with a header row, parsed incrementally (csv-parse). */
export async function* csvRows(source: Readable): AsyncGenerator<ReferenceRow> {
  const parser = source.pipe(
    parse({
      columns: (header: string[]) => {
        if (header.length > ReferenceLimits.maxColumns) {
          throw new VigilError('BAD_REQUEST', `at most ${ReferenceLimits.maxColumns} columns are allowed`);
        }
        if (header.some((h) => h === '' || h === '__proto__')) throw new VigilError('BAD_REQUEST', 'every column needs a name');
        return header;
      },
      cast: (value, context) => {
        if (context.header) return value;
        if (value.length > ReferenceLimits.maxCellChars) {
          throw new VigilError('BAD_REQUEST', `row ${context.lines - 1}, column "${String(context.column)}": a value is longer than ${ReferenceLimits.maxCellChars} characters`, {
            row: context.lines - 1,
            column: String(context.column),
          });
        }
        return castCell(value);
      },
      bom: true,
      skip_empty_lines: true,
      trim: false,
      max_record_size: ReferenceLimits.maxRowBytes,
    }),
  );
  source.on('error', (err) => parser.destroy(err));
  for await (const record of parser) yield record as ReferenceRow;
}

/** Lines of a JSONL stream parsed one by one; a line longer than the row limit is refused. */
export async function* jsonlRows(source: Readable): AsyncGenerator<{ line: number; value: unknown }> {
  let rest = '';
  let line = 0;
  source.setEncoding('utf8');
  for await (const chunk of source as AsyncIterable<string>) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const text = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      line += 1;
      if (text.trim() !== '') yield { line, value: parseLine(text, line) };
    }
    if (rest.length > ReferenceLimits.maxRowBytes) {
      throw new VigilError('BAD_REQUEST', `line ${line + 1} is longer than ${ReferenceLimits.maxRowBytes} bytes`);
    }
  }
  if (rest.trim() !== '') yield { line: line + 1, value: parseLine(rest, line + 1) };
}

function parseLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new VigilError('BAD_REQUEST', `line ${line} is not valid JSON: ${(err as Error).message}`, { line });
  }
}
