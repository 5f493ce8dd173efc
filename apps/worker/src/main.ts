import { createDb, pingDatabase, resealLegacyChannelSecrets, SecretBox } from '@vigil/db';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadWorkerEnv, secretKeyOf, serverAddressOf } from './env.js';
import { startWorkerServer } from './http-server.js';
import { processors } from './processors/index.js';
import { WorkerHost } from './worker-host.js';

let env;
try {
  env = loadWorkerEnv();
} catch (err) {
  console.error(`vigil-worker: ${(err as Error).message}`);
  process.exit(1);
}
const logger = pino({ level: env.LOG_LEVEL, base: { service: 'vigil-worker' }, timestamp: pino.stdTimeFunctions.isoTime });
const db = createDb({ url: env.DATABASE_URL, max: env.DB_POOL_MAX, applicationName: 'vigil-worker' });
const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'vigil-worker' });
connection.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));

try {
  await pingDatabase(db.pool, 5_000);
} catch (err) {
  logger.fatal(`cannot reach Postgres at ${new URL(env.DATABASE_URL).host}: ${(err as Error).message}`);
  process.exit(1);
}

let stopping = false;
const address = serverAddressOf(env);
// One server: /healthz, /readyz and /metrics (HEALTH_PORT).
const server = address ? await startWorkerServer({ ...address, db, redis: connection, logger, stopping: () => stopping }) : null;
if (server) logger.info({ url: server.url }, 'worker probes and metrics listening');

const host = new WorkerHost({
  connection,
  registry: processors,
  context: { db, env, logger },
  concurrency: env.WORKER_CONCURRENCY,
  prefix: env.QUEUE_PREFIX,
  shutdownGraceMs: env.WORKER_SHUTDOWN_GRACE_MS,
  ...(env.WORKER_SCHEDULES ? { schedules: env.WORKER_SCHEDULES } : {}),
  ...(server ? { onJobDone: server.observeJob } : {}),
});
await host.start();
logger.info({ queues: host.queueCount, concurrency: env.WORKER_CONCURRENCY, port: address?.port ?? null }, 'vigil worker started');

// Channel secrets sealed before they were bound to their rows are sealed again, in batches, in
// the background (idempotent; any number of workers may do it at once).
resealLegacyChannelSecrets(db.pool, new SecretBox(secretKeyOf(env))).then(
  (r) => {
    if (r.resealed > 0 || r.failed > 0) logger.info(r, 'legacy channel secrets sealed again, bound to their channels');
    if (r.failed > 0) logger.warn({ failed: r.failed }, 'some legacy channel secrets do not open with VIGIL_SECRET_KEY');
  },
  (err: Error) => logger.warn({ err: err.message }, 'sealing legacy channel secrets again failed; retried at the next start'),
);

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'finishing in-flight jobs');
  await host.close();
  await server?.close();
  await db.close();
  connection.disconnect();
  logger.info('vigil worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
