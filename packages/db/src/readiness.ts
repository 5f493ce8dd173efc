import type pg from 'pg';
import { pingDatabase, withTimeout } from './db.js';

export type DependencyVerdict = 'ok' | 'failed';

/** What `/readyz` answers (the API's and the worker's alike). */
export interface Readiness {
  ready: boolean;
  checks: { postgres: DependencyVerdict; redis: DependencyVerdict };
}

/**
 * The readiness check of every Vigil process: Postgres and Redis both answer within
 * `timeoutMs`. It names only `ok` or `failed` per dependency (the probes are unauthenticated and
 * driver errors name internal hosts and ports); the cause goes to `onFailure`, for the log.
 */
export async function checkReadiness(
  pool: pg.Pool,
  redis: { ping(): Promise<unknown> },
  onFailure: (dependency: 'postgres' | 'redis', err: Error) => void,
  timeoutMs = 2_000,
): Promise<Readiness> {
  const [postgres, redisPing] = await Promise.allSettled([pingDatabase(pool, timeoutMs), withTimeout(redis.ping(), timeoutMs)]);
  const verdict = (name: 'postgres' | 'redis', r: PromiseSettledResult<unknown>): DependencyVerdict => {
    if (r.status === 'fulfilled') return 'ok';
    onFailure(name, r.reason instanceof Error ? r.reason : new Error(String(r.reason)));
    return 'failed';
  };
  const checks = { postgres: verdict('postgres', postgres), redis: verdict('redis', redisPing) };
  return { ready: checks.postgres === 'ok' && checks.redis === 'ok', checks };
}
