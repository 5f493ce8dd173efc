import { VigilError } from '@vigil/contracts';
import type { PrismaClient } from './generated/prisma/client.js';

/**
 * Models that hold tenant data: every row carries `organizationId`. A tenant-scoped client
 * adds `organizationId` to every filter and every write of these models, and refuses writes
 * that name another organization, so an unscoped query cannot be written by accident.
 */
export const TENANT_MODELS = new Set([
  'Membership',
  'Invitation',
  'Team',
  'TeamMember',
  'Project',
  'ApiKey',
  'Model',
  'ModelVersion',
  'ModelColumn',
  'ReferenceDataset',
  'ReferenceRow',
  'PredictionBatch',
  'PredictionKey',
  'PredictionLabel',
  'StreamState',
  'WindowState',
  'ColumnProfile',
  'MetricPoint',
  'AlertRule',
  'Alert',
  'AlertEvent',
  'Silence',
  'NotificationChannel',
  'NotificationGroup',
  'NotificationDelivery',
  'NotificationAttempt',
  'AuditLog',
]);

const FILTERED = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);
const CREATING = new Set(['create', 'createMany', 'createManyAndReturn']);

type Args = Record<string, unknown> & { where?: Record<string, unknown>; data?: unknown; create?: unknown };

/** Adds a condition with AND, so a caller's own filter on the same field can only narrow it. */
function andWhere(where: Record<string, unknown> | undefined, condition: Record<string, unknown>) {
  const w = where ?? {};
  const and = w.AND === undefined ? [] : Array.isArray(w.AND) ? w.AND : [w.AND];
  return { ...w, AND: [...and, condition] };
}

function stampData(data: unknown, organizationId: string, model: string): unknown {
  if (Array.isArray(data)) return data.map((d) => stampData(d, organizationId, model));
  if (data && typeof data === 'object') {
    const row = data as Record<string, unknown>;
    if (row.organizationId !== undefined && row.organizationId !== organizationId) {
      throw new VigilError('FORBIDDEN', `cross-tenant write to ${model} refused`);
    }
    // Relation-style writes (`organization: { connect }`) are not allowed on scoped clients.
    if ('organization' in row) throw new VigilError('FORBIDDEN', `set organizationId, not organization, on ${model}`);
    return { ...row, organizationId };
  }
  return data;
}

function refuseOrgChange(data: unknown, organizationId: string, model: string): void {
  if (data && typeof data === 'object' && 'organizationId' in data) {
    if ((data as Record<string, unknown>).organizationId !== organizationId) {
      throw new VigilError('FORBIDDEN', `moving a ${model} to another tenant is refused`);
    }
  }
}

export function scopeTenant(prisma: PrismaClient, organizationId: string) {
  if (!organizationId) throw new VigilError('FORBIDDEN', 'a tenant-scoped client needs an organization id');
  return prisma.$extends({
    name: 'vigil-tenant-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation: op, args, query }) {
          const operation: string = op;
          if (!TENANT_MODELS.has(model)) {
            if (model === 'Organization') {
              const a = (args ?? {}) as Args;
              if (operation.startsWith('find') || operation === 'count' || operation === 'update') {
                return query({ ...a, where: andWhere(a.where, { id: organizationId }) });
              }
              throw new VigilError('FORBIDDEN', `Organization.${operation} is not available on a tenant-scoped client`);
            }
            return query(args);
          }
          const a = { ...((args ?? {}) as Args) };
          if (FILTERED.has(operation)) {
            a.where = andWhere(a.where, { organizationId });
            if ('data' in a) refuseOrgChange(a.data, organizationId, model);
          } else if (CREATING.has(operation)) {
            a.data = stampData(a.data, organizationId, model);
          } else if (operation === 'upsert') {
            a.where = andWhere(a.where, { organizationId });
            a.create = stampData(a.create, organizationId, model);
            refuseOrgChange(a.update, organizationId, model);
          } else {
            throw new VigilError('FORBIDDEN', `${model}.${operation} is not available on a tenant-scoped client`);
          }
          return query(a);
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof scopeTenant>;

/** A tenant-scoped client inside `$transaction`: what functions that write several rows at once receive. */
export type TenantTx = Parameters<Parameters<TenantDb['$transaction']>[0]>[0];
