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
export { IngestBacklogError, isMissingPartition, isStorageUnavailable, isUniqueViolation } from './errors.js';
export {
  decodeBatch,
  encodeBatch,
  ensurePartitions,
  insertLabels,
  insertNewPredictions,
  insertPredictions,
  labelsForPredictions,
  predictionsInWindow,
  predictionsWrittenBetween,
  type InsertedWindow,
  type InsertLabelsResult,
  type InsertPredictionsOptions,
  type InsertPredictionsResult,
  type LabelInput,
  type LabelledWindow,
  type PredictionInput,
  type ReceivedBody,
  type StoredLabel,
  type StoredPrediction,
  type TenantRef,
} from './predictions.js';
export {
  acknowledgeAlert,
  createAlertRule,
  createChannel,
  createSilence,
  createTestDelivery,
  listDeliveries,
  type DeliveryView,
  deleteAlertRule,
  deleteChannel,
  expireSilence,
  getAlertRule,
  getChannel,
  getNotificationPolicy,
  listAlertRules,
  listAlerts,
  listChannels,
  listSilences,
  loadAlertPoints,
  loadRulePoints,
  policyFromStored,
  openChannelSecret,
  setNotificationPolicy,
  updateAlertRule,
  updateChannel,
  validateAlertRule,
  type AlertActor,
  type AlertPoint,
  type ChannelSecret,
} from './alert-config.js';
export { DEVELOPMENT_SECRET_KEY, SecretBox } from './secrets.js';
export { PredictionWriter, type PredictionWriterOptions } from './prediction-writer.js';
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
export { alertingStats, type AlertingStats } from './ops-stats.js';
