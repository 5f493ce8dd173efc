import type { TenantDb } from '../tenant.js';

export interface DatasetRow {
  id: string;
  name: string;
  source: 'upload' | 'range' | 'trailing';
  status: string;
  rows: number;
  /** Columns of its profile (null before the profile is built). */
  columns: number | null;
  error: string | null;
  rangeStart: Date | null;
  rangeEnd: Date | null;
  trailingDays: number | null;
  createdAt: Date;
  readyAt: Date | null;
  model: { id: string; slug: string; name: string };
  project: { id: string; name: string };
  /** True when its model compares against it now: the dataset its settings select, else its newest ready one. */
  inUse: boolean;
}

/** Every reference dataset of the workspace, newest first, with the model it belongs to and whether that model uses it. */
export async function listReferenceDatasets(t: TenantDb, limit = 500): Promise<DatasetRow[]> {
  const rows = await t.referenceDataset.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: limit,
    select: {
      id: true,
      name: true,
      source: true,
      status: true,
      rowCount: true,
      error: true,
      rangeStart: true,
      rangeEnd: true,
      trailingDays: true,
      createdAt: true,
      readyAt: true,
      modelId: true,
      projectId: true,
    },
  });
  const modelIds = [...new Set(rows.map((r) => r.modelId))];
  const [models, projects, columnCounts] = await Promise.all([
    t.model.findMany({ where: { id: { in: modelIds } }, select: { id: true, slug: true, name: true, referenceConfig: true } }),
    t.project.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.projectId))] } }, select: { id: true, name: true } }),
    profileColumnCounts(t, rows.map((r) => r.id)),
  ]);
  const modelOf = new Map(models.map((m) => [m.id, m]));
  const projectOf = new Map(projects.map((p) => [p.id, p]));
  // A model without a selected dataset uses its newest ready one.
  const newestReady = new Map<string, { id: string; readyAt: number }>();
  for (const r of rows) {
    if (r.status !== 'ready' || !r.readyAt) continue;
    const prev = newestReady.get(r.modelId);
    if (!prev || r.readyAt.getTime() > prev.readyAt) newestReady.set(r.modelId, { id: r.id, readyAt: r.readyAt.getTime() });
  }
  return rows.map((r) => {
    const m = modelOf.get(r.modelId);
    const config = m?.referenceConfig as { datasetId?: unknown } | null | undefined;
    const selected = typeof config?.datasetId === 'string' ? config.datasetId : undefined;
    return {
      id: r.id,
      name: r.name,
      source: r.source as DatasetRow['source'],
      status: r.status,
      rows: Number(r.rowCount),
      columns: columnCounts.get(r.id) ?? null,
      error: r.error,
      rangeStart: r.rangeStart,
      rangeEnd: r.rangeEnd,
      trailingDays: r.trailingDays,
      createdAt: r.createdAt,
      readyAt: r.readyAt,
      model: m ? { id: m.id, slug: m.slug, name: m.name } : { id: r.modelId, slug: '', name: '(deleted model)' },
      project: projectOf.get(r.projectId) ?? { id: r.projectId, name: '' },
      inUse: r.status === 'ready' && (selected ? selected === r.id : newestReady.get(r.modelId)?.id === r.id),
    };
  });
}

/** Columns in each built profile, counted in SQL so the profiles themselves are not read. */
async function profileColumnCounts(t: TenantDb, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await t.$queryRaw<{ id: string; n: number }[]>`
    SELECT id, (SELECT count(*) FROM jsonb_object_keys(profile->'columns'))::int AS n
    FROM reference_datasets WHERE id = ANY(${ids}::text[]) AND profile IS NOT NULL`;
  return new Map(rows.map((r) => [r.id, r.n]));
}
