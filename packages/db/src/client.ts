import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma as PrismaNamespace, PrismaClient } from './generated/prisma/client.js';

export { PrismaClient };
export type { Prisma } from './generated/prisma/client.js';

/** Stores SQL NULL in a nullable JSON column. */
export const DbNull = PrismaNamespace.DbNull;

export interface DbOptions {
  url: string;
  /** Upper bound of pooled connections for this process. */
  max?: number;
  applicationName?: string;
}

/** A pg pool for raw SQL (bulk inserts, partitions); shares nothing with the Prisma client. */
export function createPool(opts: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'vigil',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // Vigil's statements are short index lookups: JIT compilation (when the planner's row
    // estimate passes its threshold) cost the overview's volume query 42 ms of 340.
    options: '-c jit=off',
  });
  // A client that loses its connection (Postgres restarted, a proxy cut it) must not crash the
  // process. Idle ones are reported on the pool, which replaces them. A checked-out client has
  // no listener of the pool's while it is out, so an 'error' between its queries would be
  // unhandled: every client gets its own. Its next query fails with a normal rejection, and on
  // release the pool drops it (it is no longer queryable).
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * The raw Prisma client. It is deliberately not exported from the package index: tenant data
 * is read and written through `tenantDb()` (scoped) or the explicitly named `SystemDb`.
 */
export function createPrismaClient(opts: DbOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'vigil',
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
