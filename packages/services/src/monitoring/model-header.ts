import { AlertListQuerySchema } from '@vigil/contracts';
import {
  getModel,
  getReferenceDataset,
  latestReferenceDataset,
  listAlerts,
  listModelColumns,
  modelAlertHistory,
  modelSummary,
  overviewModels,
  selectedReadyReference,
  type Db,
  type ModelColumnRecord,
  type ModelSummary,
  type ReferenceDatasetRecord,
} from '@vigil/db';
import { modelStatuses, type ModelStatus } from './overview.js';

export interface ModelHeader {
  model: Omit<ModelSummary, 'driftConfig' | 'referenceConfig'> & { drift: unknown };
  columns: ModelColumnRecord[];
  /** The dataset drift is measured against (null: none ready), and the newest dataset when it is not that one (being built, or failed). */
  reference: ReferenceDatasetRecord | null;
  newestReference: ReferenceDatasetRecord | null;
  status: ModelStatus;
}

/** What every tab of a model's page shows on top: the model, its columns, reference and health. */
export async function modelHeader(db: Db, scope: { organizationId: string; teamIds: readonly string[] }, modelId: string, now = Date.now()): Promise<ModelHeader> {
  const t = db.forTenant(scope.organizationId);
  const summary = await modelSummary(t, modelId);
  const [columns, selected, newest, rows] = await Promise.all([
    listModelColumns(t, modelId),
    selectedReadyReference(t, modelId, summary.referenceConfig),
    latestReferenceDataset(t, modelId),
    overviewModels(db.pool, scope.organizationId, [modelId]),
  ]);
  const reference = selected ? await getReferenceDataset(t, selected.id) : null;
  const status = (await modelStatuses(db, scope, rows, now)).get(modelId)!;
  const { driftConfig, referenceConfig: _config, ...model } = summary;
  return { model: { ...model, drift: driftConfig ?? null }, columns, reference, newestReference: newest && newest.id !== reference?.id ? newest : null, status };
}

/** A model's alerts (of rules of `teamIds`) and their state changes; NOT_FOUND for a model of another workspace. */
export async function modelAlerts(db: Db, scope: { organizationId: string; teamIds: readonly string[] }, modelId: string) {
  const t = db.forTenant(scope.organizationId);
  await getModel(t, modelId);
  const [alerts, history] = await Promise.all([
    listAlerts(t, scope.teamIds, AlertListQuerySchema.parse({ state: 'all', modelId, limit: 200 })),
    modelAlertHistory(t, scope.teamIds, modelId),
  ]);
  return { alerts, history };
}
