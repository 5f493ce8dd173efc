import type { ColumnKind, ColumnRole } from '@vigil/contracts';
import { getModel, listModelColumns, referenceEstimator, referenceProfile, selectedReadyReference, type Db } from '@vigil/db';
import { deserializeDatasetProfile, type ColumnProfile, type DriftOptions, type FittedEstimator } from '@vigil/metrics';

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
  /**
   * The estimators fitted with the profile (CBPE, PCA reconstruction) and their identity (the
   * dataset and when it became ready): window sums of another identity do not merge.
   */
  estimator: { key: string; model: FittedEstimator } | null;
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

/** Deserialized reference profiles by dataset id and version (ready time): they never change. */
const references = new Map<string, { readyAt: number; value: ReferenceContext }>();
const MAX_CACHED_REFERENCES = 200;

/**
 * The model's columns, segment tags, drift options and its ready reference profile (if any).
 * The schema is read on every call (one small query), so columns registered a moment ago by
 * the API are profiled at once; only the reference's deserialized profile is cached.
 */
export function loadModelContext(db: Db, organizationId: string, modelId: string, _now = Date.now()): Promise<ModelContext> {
  return readModelContext(db, organizationId, modelId);
}

/** Drops cached reference profiles of a model (after a new reference was built). */
export function forgetModelContext(_modelId: string): void {
  references.clear();
}

async function readModelContext(db: Db, organizationId: string, modelId: string): Promise<ModelContext> {
  const t = db.forTenant(organizationId);
  const model = await getModel(t, modelId);
  const columns = await listModelColumns(t, modelId);
  const reference = await selectReference(db, organizationId, modelId, model.referenceConfig);
  return {
    organizationId,
    projectId: model.projectId,
    modelId,
    segmentTags: model.segmentTags,
    columns: columns.map((c) => ({ name: c.name, role: c.role, kind: c.kind })),
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
  const ds = await selectedReadyReference(t, modelId, config);
  if (!ds) return null;
  const hit = references.get(ds.id);
  if (hit && hit.readyAt === ds.readyAt.getTime()) return hit.value;
  const stored = await referenceProfile(t, ds.id);
  if (!stored) return null;
  const profile = deserializeDatasetProfile(stored);
  const fitted = (await referenceEstimator(t, ds.id)) as FittedEstimator | null;
  const estimator = fitted && (fitted.cbpe || fitted.pca) ? { key: `${ds.id}@${ds.readyAt.getTime()}`, model: fitted } : null;
  const value = { datasetId: ds.id, rows: ds.rows, profiles: profile.columns, estimator };
  if (references.size >= MAX_CACHED_REFERENCES) references.delete(references.keys().next().value!);
  references.set(ds.id, { readyAt: ds.readyAt.getTime(), value });
  return value;
}
