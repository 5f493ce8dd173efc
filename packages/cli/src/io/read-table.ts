import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CliError } from '../cli-error.js';
import { Progress, PROGRESS_MIN_BYTES } from './progress.js';
import { readCsv } from './read-csv.js';
import { readJsonl } from './read-jsonl.js';
import type { ReadOptions, ReadResult } from './read-result.js';

export type { ReadOptions, ReadResult } from './read-result.js';

export type InputFormat = 'csv' | 'jsonl' | 'parquet';

const FORMATS: Record<string, InputFormat> = { csv: 'csv', jsonl: 'jsonl', ndjson: 'jsonl', parquet: 'parquet' };
export const EXTENSIONS = '.csv, .jsonl, .ndjson (each optionally .gz) or .parquet';

/** The format and compression a file name says, or null for an extension the CLI does not read. */
export function inputFormat(path: string): { format: InputFormat; gzip: boolean } | null {
  const parts = path.toLowerCase().split(/[\\/]/).pop()!.split('.');
  const gzip = parts.length > 2 && parts.at(-1) === 'gz';
  const format = parts.length > 1 ? FORMATS[parts.at(gzip ? -2 : -1)!] : undefined;
  if (!format || (gzip && format === 'parquet')) return null;
  return { format, gzip };
}

/**
 * Reads a CSV (header row), JSONL or Parquet file into typed columns, never holding rows.
 * @throws CliError on a missing file, an unknown extension, or malformed content.
 */
export async function readTable(path: string, role: string, options: ReadOptions): Promise<ReadResult> {
  const kind = inputFormat(path);
  if (!kind) throw new CliError(`${role} file ${path}: unsupported extension (use ${EXTENSIONS})`);
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
  if (kind.format === 'parquet') {
    // Loaded on demand: CSV and JSONL runs never pay for the Parquet reader.
    const { readParquet } = await import('./read-parquet.js');
    const result = await readParquet(path, size, options);
    progress?.done(result.rows);
    return result;
  }
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let bytesSeen = 0;
  file.on('data', (chunk) => {
    bytesSeen += chunk.length;
  });
  const track = (rows: number): void => {
    if (progress && bytesSeen > 0) {
      progress.advance(bytesSeen, rows);
      bytesSeen = 0;
    }
  };
  const stream: Readable = kind.gzip ? file.pipe(createGunzip()) : file;
  if (kind.gzip) file.on('error', (e) => stream.destroy(e));
  const result = kind.format === 'csv' ? await readCsv(stream, path, options, track, kind.gzip ? null : size) : await readJsonl(stream, path, options, track);
  progress?.done(result.rows);
  return result;
}
