import { buildReport, type ColumnValues, type DriftOptions, type Report, type ReportOptions, type Table } from '@vigil/metrics';
import { ROLE_COLUMN, type ColumnDef, type WindowRows } from './window-table.js';

/*
 * The report of a window of stored events: the one `vigil report` computes on two files, with
 * the model's columns in their roles. The worker's exact (batch) recompute and the web app's
 * one-off reports both build it here.
 */

export interface WindowSchema {
  columns: ColumnDef[];
  drift: DriftOptions;
}

/**
 * Labels sent later through `/v1/labels` do not register a column: ground truth has the kind of
 * the prediction it is compared with.
 */
export function withLabelColumn(columns: ColumnDef[]): ColumnDef[] {
  if (columns.some((c) => c.role === 'label')) return columns;
  const prediction = columns.find((c) => c.role === 'prediction');
  return prediction ? [...columns, { role: 'label', name: 'label', kind: prediction.kind }] : columns;
}

/** The report's options: the features by kind, the model's drift options, and the performance roles when the window has labels. */
export function windowReportOptions(schema: WindowSchema, current: Pick<WindowRows, 'table' | 'labelled'>): ReportOptions {
  const has = (name: string) => name in current.table;
  const scores = schema.columns.filter((c) => c.role === 'score').map((c) => ROLE_COLUMN.score(c.name)).filter(has);
  const withLabels = current.labelled > 0 && has(ROLE_COLUMN.label) && (has(ROLE_COLUMN.prediction) || scores.length > 0);
  const categorical = schema.columns.filter((c) => c.role === 'feature' && c.kind !== 'numerical').map((c) => c.name);
  const numerical = schema.columns.filter((c) => c.role === 'feature' && c.kind === 'numerical').map((c) => c.name);
  return {
    ...schema.drift,
    numerical,
    categorical,
    ...(withLabels
      ? {
          target: ROLE_COLUMN.label,
          ...(has(ROLE_COLUMN.prediction) ? { prediction: ROLE_COLUMN.prediction } : {}),
          ...(scores.length > 0 ? { scores: scores.length === 1 && scores[0] === '__score' ? '__score' : scores } : {}),
        }
      : {}),
  };
}

/** Only features are compared for drift; role columns enter the report only as performance roles. */
function keepReportColumns(table: Table, schema: WindowSchema, options: ReportOptions, features = true): Table {
  const roles = new Set([options.target, options.prediction, ...(typeof options.scores === 'string' ? [options.scores] : (options.scores ?? []))]);
  const names = new Set(features ? schema.columns.filter((c) => c.role === 'feature').map((c) => c.name) : []);
  return Object.fromEntries(Object.entries(table).filter(([name]) => names.has(name) || roles.has(name)));
}

/**
 * The report of `current` against `reference` (null: the window against itself, which gives its
 * quality and performance but no drift).
 */
export function buildWindowReport(schema: WindowSchema, reference: Table | null, current: Pick<WindowRows, 'table' | 'labelled'>): Report {
  const options = windowReportOptions(schema, current);
  return buildReport(keepReportColumns(reference ?? current.table, schema, options), keepReportColumns(current.table, schema, options), options);
}

/** Most values a segment tag takes in one window's per-segment performance (as in streaming). */
export const MAX_SEGMENT_VALUES = 50;

export interface SegmentPerformance {
  /** `tag=value` */
  segment: string;
  rows: number;
  labelled: number;
  performance: NonNullable<Report['performance']>['current'] | null;
}

/**
 * Performance of each segment (`tag=value` of the model's segment tags) of a window: the rows of
 * the segment, their labels, and the report's performance on them alone. Segments without labels
 * get counts only.
 */
export function segmentPerformance(schema: WindowSchema, current: WindowRows, segmentTags: readonly string[]): SegmentPerformance[] {
  const out: SegmentPerformance[] = [];
  const label = current.table[ROLE_COLUMN.label];
  for (const tag of segmentTags) {
    const groups = new Map<string, number[]>();
    current.tags.forEach((tags, i) => {
      const v = tags?.[tag];
      if (v === undefined) return;
      const rows = groups.get(v);
      if (rows) rows.push(i);
      else if (groups.size < MAX_SEGMENT_VALUES) groups.set(v, [i]);
    });
    for (const [value, rows] of groups) {
      const table = subset(current.table, rows);
      const labelled = label ? countPresent(table[ROLE_COLUMN.label]!) : 0;
      let performance: SegmentPerformance['performance'] = null;
      if (labelled > 0) {
        const options = windowReportOptions(schema, { table, labelled });
        if (options.target) {
          const roles = keepReportColumns(table, schema, options, false);
          performance = buildReport(roles, roles, { ...options, numerical: [], categorical: [] }).performance?.current ?? null;
        }
      }
      out.push({ segment: `${tag}=${value}`, rows: rows.length, labelled, performance });
    }
  }
  return out;
}

/** The given rows of a table built by `buildTable` (plain numeric or string columns). */
function subset(table: Table, rows: readonly number[]): Table {
  const out: Record<string, ColumnValues> = {};
  for (const [name, values] of Object.entries(table)) {
    if (values instanceof Float64Array) out[name] = Float64Array.from(rows, (i) => values[i]!);
    else if (Array.isArray(values)) out[name] = rows.map((i) => (values as readonly (string | null)[])[i] ?? null);
    else throw new Error(`column ${name} is encoded: a window table has plain columns`);
  }
  return out;
}

function countPresent(values: ColumnValues): number {
  let n = 0;
  if (values instanceof Float64Array) {
    for (const v of values) if (!Number.isNaN(v)) n++;
  } else if (Array.isArray(values)) {
    for (const v of values as readonly (string | null)[]) if (v !== null) n++;
  }
  return n;
}
