import { StringDecoder } from 'node:string_decoder';
import { CliError } from '../cli-error.js';
import { ColumnBuilder } from './column-builder.js';
import { CsvScanner } from './csv-scanner.js';
import { finish, type ReadOptions, type ReadResult } from './read-result.js';

/** Streams a CSV file with a header row into typed columns. @throws CliError on malformed content. */
export async function readCsv(stream: AsyncIterable<Buffer>, path: string, options: ReadOptions, track: (rows: number) => void): Promise<ReadResult> {
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
  try {
    for await (const chunk of stream) scanner.push(decoder.write(chunk));
    scanner.push(decoder.end());
    scanner.end();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (state.columns === null) throw new CliError(`${path} is empty (a CSV file needs a header row)`);
  return finish(state.columns, state.rows);
}
