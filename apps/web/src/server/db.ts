import { createDb, type Db } from '@vigil/db';
import { env } from '~/env';

const globalForDb = globalThis as unknown as { vigilDb?: Db };

/** One database handle per server process (kept across hot reloads in development). */
export function getDb(): Db {
  if (!globalForDb.vigilDb) {
    const e = env();
    globalForDb.vigilDb = createDb({ url: e.DATABASE_URL, max: e.DB_POOL_MAX, applicationName: 'vigil-web' });
  }
  return globalForDb.vigilDb;
}
