import type pg from 'pg';

/**
 * What a data function runs its statements on: the pool, or a client inside the caller's
 * transaction. Functions take it as their first argument so that transactions and advisory
 * locks stay with the caller, who decides what must commit together.
 */
export type Executor = pg.Pool | pg.PoolClient;

/** The tenant a write is made for: every raw-SQL write names it explicitly. */
export interface TenantRef {
  organizationId: string;
  projectId: string;
}

/**
 * Runs `work` inside a transaction on a client of its own: committed when `work` resolves,
 * rolled back when it throws (the error is passed on). The client is released either way.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Waits for the transaction-scoped advisory lock named `key`: held until the transaction
 * ends. Every process that locks the same name is serialised on it.
 */
export async function lockForTransaction(client: pg.PoolClient, key: string): Promise<void> {
  await client.query({ name: 'vigil_advisory_xact_lock', text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [key] });
}
