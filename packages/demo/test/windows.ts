import type { StoredColumn } from '@vigil/db';
import {
  createProfile,
  profileColumnDrift,
  referenceBinEdges,
  resolveColumnOptions,
  sortSample,
  updateProfile,
  type ColumnProfile,
  type DriftOptions,
  type Report,
  type Table,
} from '@vigil/metrics';
import { buildTable, buildWindowReport, withLabelColumn, type ColumnDef, type RawRow } from '@vigil/services';
import { generateReference, historyHour, historyHours, type DemoEvent } from '../src/generate.js';
import { DEMO_DRIFT, type DemoModel } from '../src/models/model.js';
import { HOUR_MS, type Span, type Story } from '../src/story.js';

/*
 * What the worker computes from the seeded rows, computed here in memory from the same
 * generators: the exact report of a window (recompute-window.ts: buildWindowReport on the
 * window's rows against the uploaded reference's rows, with the model's drift options) and the
 * streaming drift verdicts (profiles on the reference's bin edges, as stream-events.ts merges
 * events before the exact recompute replaces the feature points).
 */

/** The drift options the seed saves on every model, as the worker reads them. */
export const DRIFT = DEMO_DRIFT as DriftOptions;

/** Hours that ended before the anchor: the anchor's own hour is completed by the simulator before it is a window. */
export const completeHours = (story: Story) => historyHours(story).filter((h) => h + HOUR_MS <= story.anchor);

/** Whether the whole hour lies in a span / whether it overlaps it. */
export const hourIn = (hour: number, s: Span) => hour >= s.from && hour + HOUR_MS <= s.to;
export const hourTouches = (hour: number, s: Span) => hour < s.to && hour + HOUR_MS > s.from;

/** The model's columns as the worker reads them: the registered ones plus the label the reference upload adds. */
export function schemaOf(model: DemoModel): ColumnDef[] {
  return withLabelColumn(model.columns.map((c: StoredColumn) => ({ ...c })));
}

/** The reference rows as loadReferenceTable reads an upload. */
export function referenceTable(model: DemoModel, columns: ColumnDef[]): Table {
  const rows = generateReference(model).map((d) => ({ features: d, prediction: d.prediction ?? null, scores: d as Record<string, unknown>, label: d.label ?? null }));
  return buildTable(columns, rows).table;
}

/** The exact report of a window's events, with the labels that arrived by `labelsBy`. */
export function windowReport(events: DemoEvent[], columns: ColumnDef[], reference: Table, labelsBy: number): { report: Report; rows: number; labelled: number } {
  const rows: RawRow[] = events.map((e) => ({
    features: e.features,
    prediction: e.prediction,
    scores: e.scores ?? null,
    label: e.label && e.label.time <= labelsBy ? e.label.value : null,
    tags: e.tags,
  }));
  const { table } = buildTable(columns, rows);
  const labelled = rows.filter((r) => r.label !== null).length;
  return { report: buildWindowReport({ columns, drift: DRIFT }, reference, { table, labelled }), rows: rows.length, labelled };
}

export interface Verdict {
  hour: number;
  column: string;
  score: number;
  threshold: number;
  drifted: boolean;
  details: { test: string; threshold: number; scoreKind: string };
}

/** The exact drift verdict of every feature in every complete hour of the history. */
export function exactVerdicts(model: DemoModel, story: Story, hours = completeHours(story)): Verdict[] {
  const columns = schemaOf(model);
  const reference = referenceTable(model, columns);
  const out: Verdict[] = [];
  for (const hour of hours) {
    const { report } = windowReport(historyHour(model, hour, story), columns, reference, story.anchor);
    for (const c of report.columns) {
      if (!c.drift) continue;
      const d = c.drift;
      out.push({ hour, column: c.name, score: d.score ?? NaN, threshold: d.threshold, drifted: d.drifted, details: { test: d.test, threshold: d.threshold, scoreKind: d.scoreKind } });
    }
  }
  return out;
}

/** The reference profiles as buildReferenceProfile makes them (bin edges from the reference's own values). */
function referenceProfiles(model: DemoModel, columns: StoredColumn[]): Map<string, ColumnProfile> {
  const rows = generateReference(model);
  const out = new Map<string, ColumnProfile>();
  for (const c of columns) {
    const value = (r: Record<string, unknown>) => (c.role === 'feature' ? r[c.name] : r.prediction);
    const numbers = c.kind === 'numerical' ? rows.map(value).filter((v): v is number => typeof v === 'number') : [];
    const edges = c.kind === 'numerical' ? referenceBinEdges(sortSample(numbers)) : null;
    const p = createProfile(c.kind, { seed: 7, ...(edges ? { histogramEdges: edges } : {}) });
    for (const r of rows) updateProfile(p, value(r) ?? null);
    out.set(c.name, p);
  }
  return out;
}

/**
 * The streaming drift verdicts of the features and the prediction in every complete hour
 * (column names as streaming writes them: features by name, `prediction:prediction`).
 */
export function streamingVerdicts(model: DemoModel, story: Story, hours = completeHours(story)): Verdict[] {
  const columns = model.columns.filter((c) => c.role === 'feature' || c.role === 'prediction');
  const refs = referenceProfiles(model, columns);
  const out: Verdict[] = [];
  for (const hour of hours) {
    const events = historyHour(model, hour, story);
    for (const c of columns) {
      const ref = refs.get(c.name)!;
      const edges = ref.kind === 'numerical' && ref.histogram ? ref.histogram.edges : undefined;
      const cur = createProfile(c.kind, { seed: hour / HOUR_MS, ...(edges ? { histogramEdges: edges } : {}) });
      for (const e of events) updateProfile(cur, c.role === 'feature' ? e.features[c.name] : e.prediction);
      const name = c.role === 'feature' ? c.name : `${c.role}:${c.name}`;
      try {
        const r = profileColumnDrift(ref, cur, resolveColumnOptions({ name, kind: c.kind }, DRIFT));
        out.push({ hour, column: name, score: r.score, threshold: r.threshold, drifted: r.drifted, details: { test: r.test, threshold: r.threshold, scoreKind: r.scoreKind } });
      } catch {
        // no valid value this hour
      }
    }
  }
  return out;
}
