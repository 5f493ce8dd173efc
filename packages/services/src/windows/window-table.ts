import { labelsForPredictions, predictionsInWindow, referenceRowsAfter, type Db, type StoredPrediction, type TenantRef } from '@vigil/db';
import type { ColumnValues, Table } from '@vigil/metrics';
import type { ColumnKind, ColumnRole } from '@vigil/contracts';

/** A model column as the report reads it. */
export interface ColumnDef {
  name: string;
  role: ColumnRole;
  kind: ColumnKind;
}
type ModelColumnDef = ColumnDef;

/** Table column names of the non-feature roles (features keep their own names). */
export const ROLE_COLUMN = {
  prediction: '__prediction',
  label: '__label',
  /** The positive-class probability keeps a reserved name; per-class probabilities are named by their class, as reports expect. */
  score: (name: string) => (name === 'score' ? '__score' : name),
} as const;

export interface WindowRows {
  table: Table;
  rows: number;
  /** Each row's tags (null: none), in table order: what segments are cut by. */
  tags: (Record<string, string> | null)[];
  labelled: number;
  /** Mean seconds from prediction to label over labelled rows (NaN when none). */
  labelDelaySeconds: number;
}

type Builder = { kind: 'numerical'; values: number[] } | { kind: 'categorical'; values: (string | null)[] };

function builderFor(col: ModelColumnDef): Builder {
  return col.kind === 'numerical' ? { kind: 'numerical', values: [] } : { kind: 'categorical', values: [] };
}

function push(b: Builder, v: unknown): void {
  if (b.kind === 'numerical') b.values.push(typeof v === 'number' ? v : Number.NaN);
  else b.values.push(v === null || v === undefined ? null : String(v));
}

function finish(b: Builder): ColumnValues {
  return b.kind === 'numerical' ? Float64Array.from(b.values) : b.values;
}

export interface RawRow {
  tags?: Record<string, string> | null;
  features: Record<string, unknown> | null;
  prediction: unknown;
  scores: number | Record<string, unknown> | null;
  label: unknown;
}

/** Builds columnar data from rows, one column per model column (roles under ROLE_COLUMN names). */
export function buildTable(columns: ModelColumnDef[], rows: Iterable<RawRow>): { table: Table; rows: number } {
  const builders = new Map<string, Builder>();
  const name = (c: ModelColumnDef) =>
    c.role === 'feature' ? c.name : c.role === 'prediction' ? ROLE_COLUMN.prediction : c.role === 'label' ? ROLE_COLUMN.label : ROLE_COLUMN.score(c.name);
  const features = new Set(columns.filter((c) => c.role === 'feature').map((c) => c.name));
  // A class whose name is also a feature's cannot be told apart in a table: its probability is left out.
  columns = columns.filter((c) => c.role !== 'score' || c.name === 'score' || !features.has(c.name));
  for (const c of columns) builders.set(name(c), builderFor(c));
  let n = 0;
  for (const r of rows) {
    n++;
    for (const c of columns) {
      const b = builders.get(name(c))!;
      switch (c.role) {
        case 'feature':
          push(b, r.features?.[c.name]);
          break;
        case 'prediction':
          push(b, r.prediction);
          break;
        case 'label':
          push(b, r.label);
          break;
        case 'score':
          push(b, r.scores === null ? null : typeof r.scores === 'number' ? (c.name === 'score' ? r.scores : null) : r.scores[c.name]);
          break;
      }
    }
  }
  return { table: Object.fromEntries([...builders].map(([k, b]) => [k, finish(b)])), rows: n };
}

/**
 * Every stored prediction of a model version in [from, to), with its label: the one sent
 * through /v1/labels, else the one given inline.
 */
export async function loadWindowRows(
  db: Db,
  tenant: TenantRef,
  columns: ModelColumnDef[],
  modelVersionId: string,
  from: Date,
  to: Date,
): Promise<WindowRows> {
  const events: StoredPrediction[] = [];
  for await (const page of predictionsInWindow(db.pool, tenant.organizationId, modelVersionId, from.getTime(), to.getTime())) for (const e of page) events.push(e);
  // One order whatever the batching, so a recompute gives the same sums to the last bit.
  events.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const labels = await labelsForPredictions(db.pool, tenant, modelVersionId, from.getTime(), to.getTime(), events.map((e) => e.id));
  let labelled = 0;
  let delaySum = 0;
  const raw: RawRow[] = new Array<RawRow>(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const sent = labels.get(e.id);
    const label = sent ? sent.label : e.label;
    raw[i] = { features: e.features, prediction: e.prediction, scores: e.scores, label, tags: e.tags };
    if (label !== null && label !== undefined) {
      labelled++;
      // An inline label was known when the prediction was made.
      if (sent) delaySum += Math.max(0, (sent.time - e.time) / 1000);
    }
  }
  const { table, rows } = buildTable(columns, raw);
  return { table, rows, tags: raw.map((r) => r.tags ?? null), labelled, labelDelaySeconds: labelled > 0 ? delaySum / labelled : Number.NaN };
}

const PAGE = 10_000;
const referenceTables = new Map<string, { table: Table; rows: number }>();
const MAX_REFERENCE_TABLES = 20;

/** The raw reference rows as a table (uploaded datasets), cached per dataset. */
export async function loadReferenceTable(db: Db, organizationId: string, datasetId: string, columns: ModelColumnDef[]): Promise<{ table: Table; rows: number }> {
  const key = `${datasetId}:${columns.map((c) => `${c.role}:${c.name}:${c.kind}`).join(',')}`;
  const hit = referenceTables.get(key);
  if (hit) return hit;
  const rows: RawRow[] = [];
  let after = -1n;
  for (;;) {
    const page = await referenceRowsAfter(db.pool, organizationId, datasetId, after, PAGE);
    for (const { data: d } of page) {
      rows.push({ features: d, prediction: d.prediction ?? null, scores: d as Record<string, unknown>, label: d.label ?? d.target ?? null });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.index;
  }
  const value = buildTable(columns, rows);
  if (referenceTables.size >= MAX_REFERENCE_TABLES) referenceTables.delete(referenceTables.keys().next().value!);
  referenceTables.set(key, value);
  return value;
}
