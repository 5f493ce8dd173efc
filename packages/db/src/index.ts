export { apiKeyFromSecret, DEFAULT_KEY_SCOPES, generateApiKey, hashApiKey, parseApiKey, type NewApiKey } from './api-keys.js';
export { ensureWorkspace, type WorkspaceIds, type WorkspaceInit } from './bootstrap.js';
export { createPool, type DbOptions, type Prisma, type PrismaClient } from './client.js';
export { createDb, pingDatabase, type Db } from './db.js';
export { DEFAULT_MIGRATIONS_DIR, ensureDatabase, migrate, MigrationError, type MigrationResult } from './migrate.js';
export { upsertMetricPoints, type MetricPointInput } from './metric-points.js';
export { hashPassword, verifyPassword } from './passwords.js';
export { slugify } from './slug.js';
export { TENANT_MODELS, type TenantDb } from './tenant.js';
