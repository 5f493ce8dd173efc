import { pingDatabase } from '@vigil/db';
import { getDb } from '~/server/db';

/**
 * Readiness for an orchestrator: Postgres answers within 2 s. Like the API's, it answers only
 * `ok` or `failed`; the reason goes to the log.
 */
export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  let postgres: 'ok' | 'failed' = 'ok';
  try {
    await pingDatabase(getDb().pool, 2_000);
  } catch (err) {
    console.warn(`readiness check failed: postgres: ${(err as Error).message}`);
    postgres = 'failed';
  }
  const ready = postgres === 'ok';
  return Response.json({ status: ready ? 'ready' : 'not ready', checks: { postgres } }, { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
