/**
 * True when an error means "Postgres cannot be reached or is not accepting work right now"
 * (connection refused/reset/timed out, server shutting down, too many connections), as opposed
 * to an error in the statement itself. Callers answer the former with 503 + Retry-After.
 */
export function isStorageUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)) return true;
  // SQLSTATE class 08 (connection exception), 57P01..57P03 (shutdown, cannot connect now), 53300 (too many connections).
  if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/timeout exceeded when trying to connect|Connection terminated|connection is closed|Client has encountered a connection error|Cannot use a pool after calling end/i.test(message)) {
    return true;
  }
  return e.cause !== undefined && e.cause !== err && isStorageUnavailable(e.cause);
}

/** SQLSTATE 23514 with this message: an event time has no daily partition yet. */
export function isMissingPartition(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === '23514' && typeof e.message === 'string' && e.message.includes('no partition of relation');
}

/** SQLSTATE 23505: a unique constraint refused a row (for event keys: an id already stored). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown } | null;
  return !!e && e.code === '23505';
}

/**
 * An ingest write refused because the process already holds `maxQueuedEvents` events waiting
 * for the database: the writer is behind. Nothing of the request was stored; callers answer
 * 503 with Retry-After, and a retry with the same ids is safe.
 */
export class IngestBacklogError extends Error {
  constructor(readonly maxQueuedEvents: number) {
    super(`ingest is behind: ${maxQueuedEvents} events are already waiting to be written`);
    this.name = 'IngestBacklogError';
  }
}
