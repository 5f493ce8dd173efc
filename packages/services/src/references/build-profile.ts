import type { ReferenceProfileJob } from '@vigil/contracts';
import {
  addModelColumns,
  DEFAULT_RESOURCE_LIMITS,
  getReferenceDataset,
  listModelColumns,
  labelsForPredictions,
  listModelVersions,
  markReferenceFailed,
  markReferenceReady,
  predictionsInWindow,
  referenceRowsAfter,
  uploadedColumnKinds,
  type Db,
  type ReferenceDatasetRecord,
  type ResourceLimits,
} from '@vigil/db';
import type { ColumnRole } from '@vigil/contracts';
import { createProfile, referenceBinEdges, serializeDatasetProfile, sortSample, updateProfile, type ColumnProfile } from '@vigil/metrics';
import type { ColumnDef, RawRow } from '../windows/window-table.js';
import { fitReferenceEstimator, MAX_ESTIMATOR_ROWS } from './estimator.js';

type ModelColumnDef = ColumnDef;
const columnKey = (c: { role: string; name: string }) => `${c.role}:${c.name}`;

const PAGE = 5_000;

/** The value a reference row holds for a model column. */
function referenceValue(row: Record<string, unknown>, col: ModelColumnDef): unknown {
  switch (col.role) {
    case 'feature':
      return row[col.name] ?? null;
    case 'prediction':
      return row.prediction ?? null;
    case 'label':
      return row.label ?? row.target ?? null;
    case 'score':
      return row[`score:${col.name}`] ?? (col.name === 'score' ? row.score : undefined) ?? null;
  }
}

/** A reference row in the form window tables are built from (`buildTable`). */
function rawRowOf(row: Record<string, unknown>, columns: readonly ModelColumnDef[]): RawRow {
  const scores: Record<string, unknown> = {};
  for (const c of columns) if (c.role === 'score') scores[c.name] = referenceValue(row, c);
  return { features: row, prediction: row.prediction ?? null, scores, label: row.label ?? row.target ?? null };
}

async function* uploadedRows(db: Db, organizationId: string, datasetId: string): AsyncGenerator<Record<string, unknown>[]> {
  let after = -1n;
  for (;;) {
    const rows = await referenceRowsAfter(db.pool, organizationId, datasetId, after, PAGE);
    if (rows.length === 0) return;
    yield rows.map((r) => r.data);
    after = rows[rows.length - 1]!.index;
    if (rows.length < PAGE) return;
  }
}

/** The model's own stored predictions in [from, to) (every version), with their labels, as reference rows. */
async function* eventRows(db: Db, organizationId: string, projectId: string, modelId: string, from: Date, to: Date): AsyncGenerator<Record<string, unknown>[]> {
  const tenant = { organizationId, projectId };
  for (const v of await listModelVersions(db.forTenant(organizationId), modelId)) {
    for await (const page of predictionsInWindow(db.pool, organizationId, v.id, from.getTime(), to.getTime())) {
      let min = Infinity;
      let max = -Infinity;
      for (const e of page) {
        if (e.time < min) min = e.time;
        if (e.time > max) max = e.time;
      }
      const labels = await labelsForPredictions(db.pool, tenant, v.id, min, max + 1, page.map((e) => e.id));
      yield page.map((e) => {
        const scores = typeof e.scores === 'number' ? { score: e.scores } : (e.scores ?? {});
        const scoreCells = Object.fromEntries(Object.entries(scores).map(([k, v]) => [`score:${k}`, v]));
        return { ...e.features, ...scoreCells, prediction: e.prediction, label: labels.get(e.id)?.label ?? e.label };
      });
    }
  }
}

/**
 * Builds and stores the profile of a reference dataset — an upload, a fixed past time range or
 * a trailing window of the model's own events — in two passes over the rows, so memory stays
 * bounded by the profile, not the dataset: the first finds each numerical column's range and
 * whether it has few distinct values, the second profiles every column on those bin edges. The
 * worker runs it for every new dataset; a process holding profiles of the model in memory drops
 * them afterwards.
 */
export async function buildReferenceProfile(
  db: Db,
  job: ReferenceProfileJob,
  now = Date.now(),
  limits: Pick<ResourceLimits, 'columnsPerModel'> = DEFAULT_RESOURCE_LIMITS,
): Promise<{ rows: number }> {
  const t = db.forTenant(job.organizationId);
  const ds = await getReferenceDataset(t, job.referenceDatasetId);
  let from = ds.rangeStart;
  let to = ds.rangeEnd;
  if (ds.source === 'trailing') {
    to = new Date(now);
    from = new Date(now - (ds.trailingDays ?? 7) * 86_400_000);
  }
  const source = () =>
    ds.source === 'upload' ? uploadedRows(db, job.organizationId, ds.id) : eventRows(db, job.organizationId, ds.projectId, ds.modelId, from ?? new Date(0), to ?? new Date(now));

  try {
    // An upload's new columns count against the model's cap: beyond it, the dataset fails naming it.
    if (ds.source === 'upload') await registerUploadedColumns(db, ds, job.organizationId, limits);
    const ctx = { columns: (await listModelColumns(t, ds.modelId)).map(({ role, name, kind }) => ({ role, name, kind })) };
    // Pass 1: numerical values to derive bin edges (sorted once per column).
    const numericCols = ctx.columns.filter((c) => c.kind === 'numerical');
    const numericValues = new Map<string, number[]>(numericCols.map((c) => [columnKey(c), []]));
    for await (const page of source()) {
      for (const row of page) {
        for (const c of numericCols) {
          const v = referenceValue(row, c);
          if (typeof v === 'number' && Number.isFinite(v)) numericValues.get(columnKey(c))!.push(v);
        }
      }
    }
    const edges = new Map<string, Float64Array | null>();
    for (const [key, values] of numericValues) edges.set(key, referenceBinEdges(sortSample(values)));
    numericValues.clear();

    // Pass 2: profiles.
    const profiles = new Map<string, ColumnProfile>();
    for (const c of ctx.columns) {
      const e = edges.get(columnKey(c));
      profiles.set(columnKey(c), createProfile(c.kind, { seed: hashSeed(`${ds.id}:${columnKey(c)}`), ...(e ? { histogramEdges: e } : {}) }));
    }
    let rows = 0;
    // The first rows, as the report reads them, for the estimators (CBPE, PCA reconstruction).
    const estimatorRows: RawRow[] = [];
    for await (const page of source()) {
      for (const row of page) {
        rows++;
        for (const c of ctx.columns) updateProfile(profiles.get(columnKey(c))!, referenceValue(row, c));
        if (estimatorRows.length < MAX_ESTIMATOR_ROWS) estimatorRows.push(rawRowOf(row, ctx.columns));
      }
    }
    if (rows === 0) throw new Error(ds.source === 'upload' ? 'the dataset has no rows' : 'no events in the reference time range');
    const estimator = fitReferenceEstimator(ctx.columns, estimatorRows);
    await markReferenceReady(t, ds.id, {
      rows,
      profile: serializeDatasetProfile({ rowCount: rows, columns: profiles }),
      estimator,
      ...(ds.source === 'trailing' && from && to ? { range: { from, to } } : {}),
    });
    return { rows };
  } catch (err) {
    await markReferenceFailed(t, ds.id, (err as Error).message);
    throw err;
  }
}

/**
 * The role a reference column plays and the model column it fills, by its header: `prediction`,
 * `label` (or `target`), `score` (a binary model's positive-class score) and `score:<class>`
 * (one class's score) are the model's outputs; every other column is a feature.
 */
export function referenceColumnOf(header: string): { role: ColumnRole; name: string } {
  if (header === 'prediction') return { role: 'prediction', name: 'prediction' };
  if (header === 'label' || header === 'target') return { role: 'label', name: 'label' };
  if (header === 'score') return { role: 'score', name: 'score' };
  if (header.startsWith('score:') && header.length > 6) return { role: 'score', name: header.slice(6) };
  return { role: 'feature', name: header };
}

/**
 * A reference may be uploaded before the model has seen predictions: its columns are
 * registered (kind inferred from the values, as at ingest; columns already known keep theirs).
 */
async function registerUploadedColumns(
  db: Db,
  ds: Pick<ReferenceDatasetRecord, 'id' | 'projectId' | 'modelId'>,
  organizationId: string,
  limits: Pick<ResourceLimits, 'columnsPerModel'>,
): Promise<void> {
  const columns = (await uploadedColumnKinds(db.pool, organizationId, ds.id)).map((c) => ({ ...referenceColumnOf(c.name), kind: c.kind }));
  await addModelColumns(db.pool, { organizationId, projectId: ds.projectId }, ds.modelId, columns, limits);
}

function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
