import type { Table } from '@vigil/metrics';
import type { ColumnBuilder, ColumnMode } from './column-builder.js';
import type { ProgressSink } from './progress.js';

export interface ReadOptions {
  /** Column types forced by --numerical / --categorical. */
  modes: ReadonlyMap<string, ColumnMode>;
  /** Where progress goes for large files (stderr), or null for none. */
  progress: ProgressSink | null;
}

export interface ReadResult {
  table: Table;
  rows: number;
  /** Columns the file itself declares categorical (a Parquet schema's strings, booleans, timestamps). */
  categorical?: string[];
}

/** The table the builders hold, in their order. */
export function finish(columns: Iterable<ColumnBuilder>, rows: number): ReadResult {
  const table: Record<string, ReturnType<ColumnBuilder['finish']>> = {};
  for (const c of columns) table[c.name] = c.finish();
  return { table, rows };
}
