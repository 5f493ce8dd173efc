import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CliError } from '../cli-error.js';
import { ColumnBuilder, type ColumnMode } from './column-builder.js';
import { finish, type ReadOptions, type ReadResult } from './read-result.js';

const TIME_TYPES = new Set(['DATE', 'TIME', 'TIMESTAMP']);
const TIME_CONVERTED = new Set(['DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS']);
const NUMBER_TYPES = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const MAX_RESERVED_ROWS = 1 << 24;

/**
 * The column type the Parquet schema declares: numbers (integers, floats, decimals) are
 * numerical; strings, booleans, dates and timestamps are categorical (a timestamp is read as
 * its ISO 8601 text, as a CSV file would hold it).
 */
export function schemaMode(element: SchemaElement): ColumnMode {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (element.type === 'INT96' || (logical && TIME_TYPES.has(logical)) || (converted && TIME_CONVERTED.has(converted))) return 'categorical';
  if (logical === 'DECIMAL' || converted === 'DECIMAL' || logical === 'FLOAT16') return 'numerical';
  if (element.type && NUMBER_TYPES.has(element.type) && !(converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON')) return 'numerical';
  return 'categorical';
}

type Cell = string | number | boolean | null;

function cell(v: unknown, path: string, name: string): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  throw new CliError(`${path}: column '${name}' holds a nested or binary value; use flat columns of numbers, strings, booleans or timestamps`);
}

/**
 * Reads a Parquet file column chunk by column chunk into typed columns, with each column's
 * type from the file's schema (--numerical / --categorical still override it). Every Parquet
 * compression codec is supported. @throws CliError on a file that is not Parquet or has nested columns.
 */
export async function readParquet(path: string, size: number, options: ReadOptions): Promise<ReadResult> {
  let file, metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new CliError(`${path}: not a readable Parquet file (${e instanceof Error ? e.message : String(e)}; ${size} bytes)`);
  }
  const schema = parquetSchema(metadata);
  const rows = Number(metadata.num_rows);
  const columns = new Map<string, ColumnBuilder>();
  const schemaByName = new Map<string, SchemaElement>();
  for (const child of schema.children) {
    const element = child.element;
    if (child.children.length > 0 || element.repetition_type === 'REPEATED') {
      throw new CliError(`${path}: column '${element.name}' is nested (a list, map or struct); use flat columns`);
    }
    schemaByName.set(element.name, element);
    const column = new ColumnBuilder(element.name, options.modes.get(element.name) ?? schemaMode(element));
    // The file says how many rows it holds: no regrowing while the values arrive (up to a
    // bound, so a damaged row count cannot claim the memory; past it the columns still grow).
    column.reserve(Math.min(rows, MAX_RESERVED_ROWS));
    columns.set(element.name, column);
  }
  // Chunks of one column arrive in row order; any that came early wait here for their turn.
  const early = new Map<string, Map<number, ArrayLike<unknown>>>();
  const append = (column: ColumnBuilder, data: ArrayLike<unknown>): void => {
    const first = column.length;
    for (let i = 0; i < data.length; i++) column.push(cell(data[i], path, column.name), first + i + 1);
  };
  const onChunk = ({ columnName, columnData, rowStart }: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number }): void => {
    const column = columns.get(columnName);
    if (!column) return;
    if (rowStart !== column.length) {
      let waiting = early.get(columnName);
      if (!waiting) early.set(columnName, (waiting = new Map()));
      waiting.set(rowStart, columnData);
      return;
    }
    append(column, columnData);
    const waiting = early.get(columnName);
    for (let next = waiting?.get(column.length); next !== undefined; next = waiting!.get(column.length)) {
      waiting!.delete(column.length);
      append(column, next);
    }
  };
  try {
    // One column at a time: only that column's decoded values are alive at once (reading all
    // columns of a 1M-row group together held every decoded column: 1.9 GB peak at 1M rows).
    for (const name of columns.keys()) await parquetRead({ file, metadata, compressors, columns: [name], onChunk });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const column of columns.values()) {
    if (column.length !== rows) throw new CliError(`${path}: column '${column.name}' has ${column.length} values but the file has ${rows} rows`);
  }
  const categorical = [...columns.values()].filter((c) => schemaMode(schemaByName.get(c.name)!) === 'categorical').map((c) => c.name);
  return { ...finish(columns.values(), rows), categorical };
}
