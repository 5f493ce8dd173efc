import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Table } from '@vigil/metrics';
import { CliError } from '../cli-error.js';
import { ColumnBuilder, type ColumnMode } from './column-builder.js';
import { Progress, PROGRESS_MIN_BYTES, type ProgressSink } from './progress.js';

export interface ReadOptions {
  /** Column types forced by --numerical / --categorical. */
  modes: ReadonlyMap<string, ColumnMode>;
  /** Where progress goes for large files (stderr), or null for none. */
  progress: ProgressSink | null;
}

export interface ReadResult {
  table: Table;
  rows: number;
}

const FORMATS: Record<string, 'csv' | 'jsonl'> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/**
 * Streams a CSV (header row) or JSONL file into typed columns, never holding rows.
 * @throws CliError on a missing file, an unknown extension, or malformed content.
 */
export async function readTable(path: string, role: string, options: ReadOptions): Promise<ReadResult> {
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) throw new CliError(`${role} file ${path}: unsupported extension (use .csv, .jsonl or .ndjson)`);
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new CliError(`${role} file ${path} is not a file`);
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${role} file not found: ${path}`);
  }
  const progress = options.progress && size >= PROGRESS_MIN_BYTES ? new Progress(`reading ${role}`, size, options.progress) : null;
  const stream = createReadStream(path);
  let bytesSeen = 0;
  stream.on('data', (chunk) => {
    bytesSeen += chunk.length;
  });
  const track = (rows: number): void => {
    if (progress && bytesSeen > 0) {
      progress.advance(bytesSeen, rows);
      bytesSeen = 0;
    }
  };
  const result = format === 'csv' ? await readCsv(stream, path, options, track) : await readJsonl(stream, path, options, track);
  progress?.done(result.rows);
  return result;
}

function finish(columns: ColumnBuilder[], rows: number): ReadResult {
  const table: Record<string, ReturnType<ColumnBuilder['finish']>> = {};
  for (const c of columns) table[c.name] = c.finish();
  return { table, rows };
}

async function readCsv(stream: NodeJS.ReadableStream, path: string, options: ReadOptions, track: (rows: number) => void): Promise<ReadResult> {
  const parser = stream.pipe(parse({ bom: true, skip_empty_lines: true }));
  let columns: ColumnBuilder[] | null = null;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === null) {
        const seen = new Set<string>();
        for (const name of record) {
          if (seen.has(name)) throw new CliError(`${path}: column '${name}' appears twice in the header`);
          seen.add(name);
        }
        columns = record.map((name) => new ColumnBuilder(name, options.modes.get(name) ?? 'infer'));
        continue;
      }
      rows++;
      for (let i = 0; i < columns.length; i++) columns[i]!.push(record[i], rows);
      if ((rows & 4095) === 0) track(rows);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (columns === null) throw new CliError(`${path} is empty (a CSV file needs a header row)`);
  return finish(columns, rows);
}

type JsonCell = string | number | boolean | null;

async function readJsonl(stream: NodeJS.ReadableStream, path: string, options: ReadOptions, track: (rows: number) => void): Promise<ReadResult> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const columns = new Map<string, ColumnBuilder>();
  let rows = 0;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliError(`${path} line ${lineNo}: not valid JSON`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(`${path} line ${lineNo}: expected a JSON object`);
    rows++;
    const record = value as Record<string, unknown>;
    for (const [name, cell] of Object.entries(record)) {
      let column = columns.get(name);
      if (!column) {
        // A column first seen here is missing in every earlier row.
        column = new ColumnBuilder(name, options.modes.get(name) ?? 'infer');
        for (let r = 1; r < rows; r++) column.push(null, r);
        columns.set(name, column);
      }
      if (cell !== null && typeof cell === 'object') throw new CliError(`${path} line ${lineNo}: '${name}' is a nested value; use flat records`);
      column.push(cell as JsonCell, rows);
    }
    for (const column of columns.values()) if (column.length < rows) column.push(null, rows);
    if ((rows & 4095) === 0) track(rows);
  }
  return finish([...columns.values()], rows);
}
