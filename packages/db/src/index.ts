export {
  apiKeyFromSecret,
  DEFAULT_KEY_SCOPES,
  findApiKeyByHash,
  generateApiKey,
  hashApiKey,
  parseApiKey,
  touchApiKey,
  type ApiKeyRecord,
  type NewApiKey,
} from './api-keys.js';
export { ensureWorkspace, type WorkspaceIds, type WorkspaceInit } from './bootstrap.js';
export { createPool, DbNull, type DbOptions, type Prisma, type PrismaClient } from './client.js';
export { createDb, pingDatabase, type Db } from './db.js';
export { isMissingPartition, isStorageUnavailable } from './errors.js';
export {
  ensurePartitions,
  insertLabels,
  insertPredictions,
  type InsertedWindow,
  type InsertLabelsResult,
  type InsertPredictionsResult,
  type LabelledWindow,
  type LabelRow,
  type PredictionRow,
  type TenantRef,
} from './events.js';
export { DEFAULT_MIGRATIONS_DIR, ensureDatabase, migrate, MigrationError, type MigrationResult } from './migrate.js';
export { upsertMetricPoints, type MetricPointInput } from './metric-points.js';
export {
  addModelColumns,
  addTypeMismatches,
  loadModelColumns,
  upsertModel,
  upsertModelVersion,
  type ColumnMismatch,
  type StoredColumn,
} from './models.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { completeReferenceDataset, createReferenceDataset, discardReferenceDataset, insertReferenceRows } from './reference.js';
export { slugify } from './slug.js';
export { TENANT_MODELS, type TenantDb } from './tenant.js';
