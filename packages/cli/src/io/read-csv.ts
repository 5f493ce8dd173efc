import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../cli-error.js';
import { ColumnBuilder } from './column-builder.js';
import { CsvScanner } from './csv-scanner.js';
import { finish, type ReadOptions, type ReadResult } from './read-result.js';

/**
 * Streams a CSV file with a header row into typed columns. `size` (the file's bytes, or null
 * when it is compressed) sizes the columns after the first chunk, so they rarely regrow.
 * @throws CliError on malformed content.
 */
export async function readCsv(stream: AsyncIterable<Buffer>, path: string, options: ReadOptions, track: (rows: number) => void, size: number | null): Promise<ReadResult> {
  const state: { columns: ColumnBuilder[] | null; rows: number } = { columns: null, rows: 0 };
  const scanner = new CsvScanner(path, (record) => {
    const columns = state.columns;
    if (columns === null) {
      const seen = new Set<string>();
      for (const name of record) {
        if (seen.has(name)) throw new CliError(`${path}: column '${name}' appears twice in the header`);
        seen.add(name);
      }
      state.columns = record.map((name) => new ColumnBuilder(name, options.modes.get(name) ?? 'infer'));
      return;
    }
    const row = ++state.rows;
    if (record.length !== columns.length) {
      throw new CliError(`${path}: row ${row} has ${record.length} fields but the header has ${columns.length} columns`);
    }
    for (let i = 0; i < columns.length; i++) columns[i]!.push(record[i], row);
    if ((row & 4095) === 0) track(row);
  });
  const decoder = new StringDecoder('utf8');
  // An all-ASCII chunk (most data files) reads as Latin-1: the same text, one byte per character,
  // several times faster to decode; the decoder is used from the first non-ASCII byte on, so a
  // character split across chunks is still joined.
  let utf8 = false;
  let bytes = 0;
  try {
    for await (let chunk of stream) {
      // A UTF-8 byte-order mark would send the whole file through the decoder.
      if (bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      utf8 ||= !isAscii(chunk);
      scanner.push(utf8 ? decoder.write(chunk) : chunk.toString('latin1'));
      if (bytes === 0 && size !== null && chunk.length > 0 && state.columns !== null && state.rows > 0) {
        const estimate = Math.ceil((size / chunk.length) * state.rows * 1.02) + 16;
        for (const c of state.columns) c.reserve(estimate);
      }
      bytes += chunk.length;
    }
    scanner.push(decoder.end());
    scanner.end();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state.columns === null) throw new CliError(`${path} is empty (a CSV file needs a header row)`);
  return finish(state.columns, state.rows);
}
