import type { Db } from '@vigil/db';
import type { ColumnValues, Table } from '@vigil/metrics';
import type { ModelColumnDef } from '../model-context.js';

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

const PAGE = 10_000;

/**
 * Every stored prediction of a model version in [from, to), with its label — from the row
 * itself, or from label_event when the label arrived in a race with its prediction.
 */
export async function loadWindowRows(db: Db, columns: ModelColumnDef[], modelVersionId: string, from: Date, to: Date): Promise<WindowRows> {
  const raw: RawRow[] = [];
  let labelled = 0;
  let delaySum = 0;
  let after: { t: Date; id: string } | null = null;
  for (;;) {
    const res: { rows: (RawRow & { event_time: Date; client_id: string; label_time: Date | null })[] } = await db.pool.query(
      `SELECT e.event_time, e.client_id, e.features, e.prediction, e.scores,
              COALESCE(e.label, le.label) AS label, COALESCE(e.label_time, le.event_time) AS label_time
       FROM prediction_event e
       LEFT JOIN label_key lk ON e.label IS NULL AND lk.project_id = e.project_id AND lk.prediction_id = e.client_id
       LEFT JOIN label_event le ON le.project_id = lk.project_id AND le.prediction_id = lk.prediction_id AND le.event_time = lk.event_time
       WHERE e.model_version_id = $1 AND e.event_time >= $2 AND e.event_time < $3
         ${after ? 'AND (e.event_time, e.client_id) > ($5, $6)' : ''}
       ORDER BY e.event_time, e.client_id LIMIT $4`,
      after ? [modelVersionId, from, to, PAGE, after.t, after.id] : [modelVersionId, from, to, PAGE],
    );
    for (const r of res.rows) {
      raw.push(r);
      if (r.label !== null && r.label !== undefined) {
        labelled++;
        if (r.label_time) delaySum += Math.max(0, (r.label_time.getTime() - r.event_time.getTime()) / 1000);
      }
    }
    if (res.rows.length < PAGE) break;
    const last: { event_time: Date; client_id: string } = res.rows[res.rows.length - 1]!;
    after = { t: last.event_time, id: last.client_id };
  }
  const { table, rows } = buildTable(columns, raw);
  return { table, rows, labelled, labelDelaySeconds: labelled > 0 ? delaySum / labelled : Number.NaN };
}

const referenceTables = new Map<string, { table: Table; rows: number }>();
const MAX_REFERENCE_TABLES = 20;

/** The raw reference rows as a table (uploaded datasets), cached per dataset. */
export async function loadReferenceTable(db: Db, organizationId: string, datasetId: string, columns: ModelColumnDef[]): Promise<{ table: Table; rows: number }> {
  const key = `${datasetId}:${columns.map((c) => `${c.role}:${c.name}:${c.kind}`).join(',')}`;
  const hit = referenceTables.get(key);
  if (hit) return hit;
  const rows: RawRow[] = [];
  let after = -1;
  for (;;) {
    const res = await db.pool.query<{ row_index: string; data: Record<string, unknown> }>(
      `SELECT row_index::text, data FROM reference_rows WHERE organization_id = $1 AND reference_dataset_id = $2 AND row_index > $3
       ORDER BY row_index LIMIT $4`,
      [organizationId, datasetId, after, PAGE],
    );
    for (const r of res.rows) {
      const d = r.data;
      rows.push({ features: d, prediction: d.prediction ?? null, scores: d as Record<string, unknown>, label: d.label ?? d.target ?? null });
    }
    if (res.rows.length < PAGE) break;
    after = Number(res.rows[res.rows.length - 1]!.row_index);
  }
  const value = buildTable(columns, rows);
  if (referenceTables.size >= MAX_REFERENCE_TABLES) referenceTables.delete(referenceTables.keys().next().value!);
  referenceTables.set(key, value);
  return value;
}
