/*
 * @vigil/db: the only place that speaks SQL. One module per aggregate; each function takes the
 * executor (the pool, a transaction's client, or the tenant-scoped Prisma client) and the
 * tenant, so transactions and locks stay with the caller. See docs/architecture.md.
 */

// connection, tenancy, errors
export { createPool, DbNull, type DbOptions, type Prisma, type PrismaClient } from './client.js';
export { createDb, pingDatabase, type Db } from './db.js';
export { checkReadiness, type DependencyVerdict, type Readiness } from './readiness.js';
export { inTransaction, lockForTransaction, type Executor, type TenantRef } from './executor.js';
export { IngestBacklogError, isMissingPartition, isStorageUnavailable, isUniqueViolation } from './errors.js';
export { TENANT_MODELS, type TenantDb, type TenantTx } from './tenant.js';
export { DEFAULT_MIGRATIONS_DIR, ensureDatabase, migrate, MigrationError, type MigrationResult } from './migrate.js';
export {
  DEFAULT_RESOURCE_LIMITS,
  LIMIT_SETTINGS,
  limitExceeded,
  ResourceLimitsEnvSchema,
  resourceLimitsOf,
  type ResourceLimits,
} from './limits.js';
export { DEVELOPMENT_SECRET_KEY, missingSecretKey, SecretBox, sealedWithoutContext } from './secrets.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { clearSignInFailures, pruneSignInFailures, recordSignInFailure, signInLockedUntil, type SignInBackoffPolicy } from './sign-in-failures.js';
export { slugify, uniqueSlug } from './slug.js';
export { validationError } from './validation.js';

// identity and access: workspaces, members, teams, invitations, projects, API keys, audit
export {
  createWorkspace,
  DEFAULT_TEAM_NAME,
  findMembership,
  listUserWorkspaces,
  settleActiveWorkspace,
  switchWorkspace,
  workspaceRef,
  workspaceSummary,
  type WorkspaceRef,
} from './workspaces.js';
export { ensureWorkspace, InitialUserPasswordMismatchError, type WorkspaceIds, type WorkspaceInit } from './bootstrap.js';
export { listMembers, removeMember, updateMemberRole } from './members.js';
export { createTeam, getTeam, listTeams, removeTeamMember, setTeamMember, teamMembershipsOf, teamRoleOf, workspaceTeamIds } from './teams.js';
export { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation, type InvitationStatus } from './invitations.js';
export {
  createProject,
  getProject,
  getProjectSummary,
  listProjects,
  projectsByTeam,
  projectSlugs,
  teamProjectIds,
  updateProject,
  type ProjectRecord,
} from './projects.js';
export {
  apiKeyCreatorRole,
  apiKeyFromSecret,
  createApiKey,
  DEFAULT_KEY_SCOPES,
  findApiKeyByHash,
  generateApiKey,
  hashApiKey,
  listApiKeys,
  parseApiKey,
  revokeApiKey,
  touchApiKey,
  type ApiKeyRecord,
  type NewApiKey,
} from './api-keys.js';
export {
  BI_CONNECTION_LIMIT,
  BI_READER_ROLE,
  BI_STATEMENT_TIMEOUT,
  getBiLogin,
  issueBiLogin,
  revokeBiLogin,
  scramMatches,
  scramVerifier,
  type BiLogin,
  type IssuedBiLogin,
} from './bi-logins.js';
export { listAudit, writeAudit, type Actor, type AuditEntry, type AuditItem, type AuditWriter } from './audit.js';

// models and their data: schema, events, labels, references, profiles, streams, windows, metrics
export {
  addModelColumns,
  addTypeMismatches,
  getModel,
  getModelBySlug,
  listModelColumns,
  listModelVersions,
  listProjectModels,
  pageModelColumns,
  pageProjectModels,
  loadModelColumns,
  modelsByIds,
  updateModelSettings,
  upsertModel,
  upsertModelVersion,
  versionNamesOf,
  type ColumnMismatch,
  type ModelColumnRecord,
  type ModelRecord,
  type ModelVersionRecord,
  type StoredColumn,
} from './models.js';
export * from './predictions/index.js';
export { dropPartitionsBefore, ensurePartitions, ensurePartitionsAround, withPartitions } from './partitions.js';
export { insertLabels, labelsForPredictions, type InsertLabelsResult, type LabelInput, type LabelledWindow, type StoredLabel } from './labels.js';
export {
  completeReferenceDataset,
  createEventReference,
  createReferenceDataset,
  discardReferenceDataset,
  getReferenceDataset,
  insertReferenceRows,
  latestReferenceDataset,
  markReferenceFailed,
  markReferenceReady,
  pendingReferenceDatasets,
  referenceProfile,
  referenceRowsAfter,
  selectedReadyReference,
  uploadedColumnKinds,
  type ReferenceDatasetRecord,
  type ReferenceDatasetSummary,
} from './references.js';
export {
  columnProfilesInRange,
  deleteMinuteProfilesBefore,
  loadProfiles,
  minuteProfileWindows,
  profileRowVersions,
  profilesByIds,
  upsertProfiles,
  type ProfileGranularity,
  type ProfileKey,
  type ProfileOwner,
  type ProfileRowVersion,
} from './profiles.js';
export {
  deleteMinuteEstimateStatesBefore,
  estimateStatesInRange,
  loadEstimateStates,
  referenceEstimator,
  upsertEstimateStates,
  type EstimateStateKey,
  type EstimateStateOwner,
} from './estimates.js';
export {
  advanceStream,
  finishedTransactionsBelow,
  hasUnmergedEvents,
  lockStream,
  streamFrontier,
  versionsWithUnmergedEvents,
  type UnmergedVersion,
} from './streams.js';
export { findWindowsToClose, markWindowClosed, windowLabelsSeq, type ClosableGranularity, type WindowToClose } from './windows.js';
export { deleteMetricPointsBefore, listMetricPoints, upsertMetricPoints, type MetricPointFilter, type MetricPointInput, type MetricPointRecord } from './metric-points.js';
export { deleteProjectEventsBefore, projectRetentions, type DeletedEvents } from './retention.js';
export { ingestLedger, type IngestLedger } from './ingest-ledger.js';

// read models: what the web app's pages read, one statement over many models where it can
export { activeAlertCounts, dailyPoints, newestHourPoints, overviewModels, volumeByModel, type OverviewModel, type WindowPoint } from './read-models/overview.js';
export { latestPoints, metricSeries, pointAt, segmentsOf, segmentTotals, type BucketAggregate, type SegmentTotal, type LatestPoint, type SeriesPoint, type SeriesQuery } from './read-models/series.js';
export { estimateBuckets, reconstructionBuckets, type EstimateBucket, type ReconstructionBucket } from './read-models/bands.js';
export { modelAlertHistory, modelSummary, type AlertHistoryItem, type ModelSummary } from './read-models/model.js';
export { listReferenceDatasets, type DatasetRow } from './read-models/datasets.js';

// alerting
export {
  alertRuleTeam,
  createAlertRule,
  deleteAlertRule,
  enabledAlertRules,
  getAlertRule,
  listAlertRules,
  updateAlertRule,
  validateAlertRule,
  workspacesWithEnabledRules,
  type EnabledRuleRow,
} from './alerts/rules.js';
export {
  channelSecretContext,
  channelTeam,
  createChannel,
  deleteChannel,
  enabledChannelIds,
  getChannel,
  listChannels,
  openChannelSecret,
  resealLegacyChannelSecrets,
  updateChannel,
  type ChannelSecret,
} from './alerts/channels.js';
export {
  createTestDelivery,
  deliveryToSend,
  finishDelivery,
  insertDelivery,
  listDeliveries,
  pendingDeliveries,
  recordDeliveryAttempt,
  recordDeliveryRetry,
  type DeliveryToSend,
  type DeliveryView,
} from './alerts/deliveries.js';
export { activeSilences, createSilence, expireSilence, listSilences, silenceTeam } from './alerts/silences.js';
export { getNotificationPolicy, policyFromStored, setNotificationPolicy, teamForNotifications } from './alerts/policy.js';
export { acknowledgeAlert, alertTeam, listAlerts } from './alerts/alerts.js';
export { loadAlertPoints, loadRulePoints, type AlertPoint } from './alerts/points.js';
export {
  insertAlertEvents,
  loadAlertInstances,
  loadNotificationGroups,
  lockAlertEvaluation,
  markAlertsNotified,
  saveAlertInstances,
  saveNotificationGroups,
  teamsWithNotificationGroups,
  type AlertEventWrite,
  type AlertInstanceRow,
  type AlertInstanceWrite,
} from './alerts/instances.js';
export { alertingStats, type AlertingStats } from './ops-stats.js';
export { latestModelGaugePoints, type ModelGaugePoint } from './read-models/model-gauges.js';
