import { VigilError } from '@vigil/contracts';
import { IngestBacklogError, isStorageUnavailable } from '@vigil/db';

/**
 * Runs storage work and translates failures: Postgres unreachable, or more ingest waiting for it
 * than the process may hold → 503 with Retry-After;
 * a value Postgres refuses (SQLSTATE class 22, "data exception") → 400, because such an error
 * is caused by the request, and bad input never yields a 5xx.
 */
export async function withStorage<T>(retryAfterSeconds: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw storageError(err, retryAfterSeconds);
  }
}

export function storageError(err: unknown, retryAfterSeconds: number): unknown {
  if (err instanceof VigilError) return err;
  // The backlog drains within a second or two; the SDK backs off further if it is still full.
  if (err instanceof IngestBacklogError) return new VigilError('OVERLOADED', 'ingest is behind; retry shortly', { retryAfterSeconds: 1 });
  if (isStorageUnavailable(err)) {
    return new VigilError('STORAGE_UNAVAILABLE', 'storage is unavailable; retry later', { retryAfterSeconds });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    return new VigilError('BAD_REQUEST', `a value cannot be stored: ${(err as Error).message}`);
  }
  return err;
}
