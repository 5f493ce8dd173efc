import { MetricsError } from '../errors.js';

export type TableColumn = ArrayLike<number> | readonly (string | boolean | null)[];

export interface TableSummary {
  rows: number;
  columns: number;
  missingCells: number;
  missingCellsShare: number;
  rowsWithAnyMissing: number;
  /** Rows equal in every column to an earlier row (pandas DataFrame.duplicated(keep='first')). */
  duplicatedRows: number;
  duplicatedRowsShare: number;
  /** Columns with exactly one distinct non-missing value. */
  constantColumns: string[];
  /** Columns whose most frequent non-missing value covers ≥ almostConstantShare of non-missing values, constant ones excluded. */
  almostConstantColumns: string[];
  /** Columns with no non-missing value. */
  emptyColumns: string[];
}

/** Evidently's default for "almost constant" columns. */
export const ALMOST_CONSTANT_SHARE = 0.95;

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));

/**
 * Table-level data quality over named columns of equal length: missing cells, rows with a
 * missing value, duplicated rows, constant / almost-constant / empty columns.
 * @throws MetricsError when the columns differ in length.
 */
export function summarizeTable(columns: Record<string, TableColumn>, almostConstantShare = ALMOST_CONSTANT_SHARE): TableSummary {
  const names = Object.keys(columns);
  const rows = names.length ? columns[names[0]!]!.length : 0;
  for (const name of names) {
    if (columns[name]!.length !== rows) throw new MetricsError('table columns differ in length', { column: name });
  }
  let missingCells = 0;
  const rowHasMissing = new Uint8Array(rows);
  const constantColumns: string[] = [];
  const almostConstantColumns: string[] = [];
  const emptyColumns: string[] = [];
  for (const name of names) {
    const col = columns[name]!;
    const counts = new Map<unknown, number>();
    let present = 0;
    for (let i = 0; i < rows; i++) {
      const v = col[i];
      if (isMissing(v)) {
        missingCells++;
        rowHasMissing[i] = 1;
        continue;
      }
      present++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (present === 0) emptyColumns.push(name);
    else if (counts.size === 1) constantColumns.push(name);
    else if (Math.max(...counts.values()) / present >= almostConstantShare) almostConstantColumns.push(name);
  }
  const seen = new Set<string>();
  let duplicatedRows = 0;
  for (let i = 0; i < rows; i++) {
    const key = JSON.stringify(names.map((name) => encodeCell(columns[name]![i])));
    if (seen.has(key)) duplicatedRows++;
    else seen.add(key);
  }
  let rowsWithAnyMissing = 0;
  for (let i = 0; i < rows; i++) rowsWithAnyMissing += rowHasMissing[i]!;
  const cells = rows * names.length;
  return {
    rows,
    columns: names.length,
    missingCells,
    missingCellsShare: cells === 0 ? NaN : missingCells / cells,
    rowsWithAnyMissing,
    duplicatedRows,
    duplicatedRowsShare: rows === 0 ? NaN : duplicatedRows / rows,
    constantColumns,
    almostConstantColumns,
    emptyColumns,
  };
}

/** Distinguishes types and treats every missing marker alike when comparing rows. */
function encodeCell(v: unknown): string {
  if (isMissing(v)) return 'm';
  return `${typeof v}:${String(v)}`;
}
