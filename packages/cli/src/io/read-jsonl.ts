import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { CliError } from '../cli-error.js';
import { ColumnBuilder } from './column-builder.js';
import { finish, type ReadOptions, type ReadResult } from './read-result.js';

type JsonCell = string | number | boolean | null;

/** Streams a JSON Lines file (one flat object per line) into typed columns. @throws CliError on malformed content. */
export async function readJsonl(stream: Readable, path: string, options: ReadOptions, track: (rows: number) => void): Promise<ReadResult> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const columns = new Map<string, ColumnBuilder>();
  let rows = 0;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line);
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
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return finish(columns.values(), rows);
}
