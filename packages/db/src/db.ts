import type pg from 'pg';
import { createPool, createPrismaClient, type DbOptions, type PrismaClient } from './client.js';
import { scopeTenant, type TenantDb } from './tenant.js';

/**
 * A process's handle on the database.
 * - `forTenant(orgId)`: the client for everything done on behalf of a workspace; every tenant
 *   model is filtered and stamped with that organization.
 * - `system`: the unscoped client, for the few cross-tenant paths (API-key lookup, sign-up,
 *   schedulers). Its name is the reminder that it sees every tenant.
 * - `pool`: raw SQL (bulk event inserts, partitions); callers pass the tenant explicitly.
 */
export interface Db {
  readonly system: PrismaClient;
  readonly pool: pg.Pool;
  forTenant(organizationId: string): TenantDb;
  close(): Promise<void>;
}

export function createDb(opts: DbOptions): Db {
  const system = createPrismaClient(opts);
  const pool = createPool(opts);
  return {
    system,
    pool,
    forTenant: (organizationId) => scopeTenant(system, organizationId),
    async close() {
      await Promise.allSettled([system.$disconnect(), pool.end()]);
    },
  };
}

/** Rejects when `p` has not settled within `ms`. */
export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves when Postgres answers `SELECT 1` within the timeout; rejects with the cause. */
export async function pingDatabase(pool: pg.Pool, timeoutMs = 2_000): Promise<void> {
  await withTimeout(pool.query('SELECT 1'), timeoutMs);
}
