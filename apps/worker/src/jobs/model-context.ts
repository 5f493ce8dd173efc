import type { ColumnKind, ColumnRole } from '@vigil/contracts';
import type { Db } from '@vigil/db';
import { deserializeDatasetProfile, type ColumnProfile, type DriftOptions } from '@vigil/metrics';

export interface ModelColumnDef {
  name: string;
  role: ColumnRole;
  kind: ColumnKind;
}

export interface ReferenceContext {
  datasetId: string;
  rows: number;
  /** Column key (`role:name`) → reference profile. */
  profiles: Map<string, ColumnProfile>;
}

export interface ModelContext {
  organizationId: string;
  projectId: string;
  modelId: string;
  segmentTags: string[];
  columns: ModelColumnDef[];
  reference: ReferenceContext | null;
  drift: DriftOptions;
}

export const columnKey = (c: { role: string; name: string }) => `${c.role}:${c.name}`;

/** How long a model's schema and reference are reused before they are read again. */
const TTL_MS = 3_000;
const cache = new Map<string, { at: number; value: Promise<ModelContext> }>();

/** The model's columns, segment tags, drift options and its ready reference profile (if any). */
export function loadModelContext(db: Db, organizationId: string, modelId: string, now = Date.now()): Promise<ModelContext> {
  const hit = cache.get(modelId);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = readModelContext(db, organizationId, modelId);
  cache.set(modelId, { at: now, value });
  value.catch(() => cache.delete(modelId));
  return value;
}

export function forgetModelContext(modelId: string): void {
  cache.delete(modelId);
}

async function readModelContext(db: Db, organizationId: string, modelId: string): Promise<ModelContext> {
  const t = db.forTenant(organizationId);
  const model = await t.model.findUniqueOrThrow({ where: { id: modelId } });
  const columns = await t.modelColumn.findMany({ where: { modelId }, orderBy: [{ role: 'asc' }, { name: 'asc' }] });
  const reference = await selectReference(db, organizationId, modelId, model.referenceConfig);
  return {
    organizationId,
    projectId: model.projectId,
    modelId,
    segmentTags: model.segmentTags,
    columns: columns.map((c) => ({ name: c.name, role: c.role as ColumnRole, kind: c.kind as ColumnKind })),
    reference,
    drift: (model.driftConfig ?? {}) as DriftOptions,
  };
}

/**
 * The reference a model compares against: the dataset named by its reference config, else
 * its most recent ready dataset (uploaded, or built from a time range or trailing window).
 */
async function selectReference(db: Db, organizationId: string, modelId: string, config: unknown): Promise<ReferenceContext | null> {
  const t = db.forTenant(organizationId);
  const wanted = config && typeof config === 'object' && 'datasetId' in config ? String((config as { datasetId: unknown }).datasetId) : undefined;
  const ds = await t.referenceDataset.findFirst({
    where: { modelId, status: 'ready', ...(wanted ? { id: wanted } : {}) },
    orderBy: { readyAt: 'desc' },
  });
  if (!ds || !ds.profile) return null;
  const profile = deserializeDatasetProfile(ds.profile);
  return { datasetId: ds.id, rows: Number(ds.rowCount), profiles: profile.columns };
}
