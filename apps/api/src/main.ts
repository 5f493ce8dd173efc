import cluster from 'node:cluster';
import { ensureWorkspace, createDb, migrate } from '@vigil/db';
import { createApp } from './app.js';
import { loadApiEnv, type ApiEnv } from './env.js';
import { startModelExporter } from './modules/observability/model-exporter.js';
import { createLogger } from './infra/logger.js';

let env: ApiEnv;
try {
  env = loadApiEnv();
} catch (err) {
  console.error(`vigil-api: ${(err as Error).message}`);
  process.exit(1);
}
const logger = createLogger(env.LOG_LEVEL);
const primary = cluster.isPrimary;

if (primary && env.API_WORKERS > 1) {
  // Migrations and initialisation run once, in the primary, before the workers start.
  await prepare();
  for (let i = 0; i < env.API_WORKERS; i++) cluster.fork();
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    });
  }
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code }, 'api worker exited; starting a new one');
    cluster.fork();
  });
  await exportModelMetrics();
} else {
  if (primary) await prepare();
  await serve();
  if (primary) await exportModelMetrics();
}

/** The opt-in model metrics exporter (VIGIL_MODEL_METRICS_PORT), once per machine: in the primary process. */
async function exportModelMetrics() {
  if (!env.VIGIL_MODEL_METRICS_PORT) return;
  try {
    const db = createDb({ url: env.DATABASE_URL, max: 2, applicationName: 'vigil-model-metrics' });
    const exporter = await startModelExporter({ pool: db.pool, port: env.VIGIL_MODEL_METRICS_PORT, host: env.HOST, maxSeries: env.VIGIL_MODEL_METRICS_MAX_SERIES });
    logger.info({ url: `${exporter.url}/metrics` }, 'model metrics exporter listening');
  } catch (err) {
    fatal(err);
  }
}

async function prepare() {
  try {
    if (env.MIGRATE_ON_START) {
      const r = await migrate(env.DATABASE_URL);
      logger.info({ applied: r.applied }, 'migrations checked');
    }
    if (
      env.VIGIL_INIT_ORG &&
      env.VIGIL_INIT_PROJECT &&
      env.VIGIL_INIT_API_KEY &&
      env.VIGIL_INIT_USER_EMAIL &&
      env.VIGIL_INIT_USER_PASSWORD
    ) {
      const db = createDb({ url: env.DATABASE_URL, max: 2, applicationName: 'vigil-api-init' });
      try {
        const ids = await ensureWorkspace(db.system, {
          organization: env.VIGIL_INIT_ORG,
          project: env.VIGIL_INIT_PROJECT,
          apiKey: env.VIGIL_INIT_API_KEY,
          userEmail: env.VIGIL_INIT_USER_EMAIL,
          userPassword: env.VIGIL_INIT_USER_PASSWORD,
          apiKeyScopes: env.VIGIL_INIT_API_KEY_SCOPES,
        });
        logger.info(
          { organizationId: ids.organizationId, projectId: ids.projectId, created: ids.created },
          'initial workspace ensured',
        );
      } finally {
        await db.close();
      }
    }
  } catch (err) {
    fatal(err);
  }
}

async function serve() {
  try {
    const { app } = await createApp(env, logger);
    await app.listen({ port: env.PORT, host: env.HOST });
    logger.info({ port: env.PORT, pid: process.pid }, 'vigil api listening');
  } catch (err) {
    fatal(err);
  }
}

function fatal(err: unknown): never {
  const e = err as Error & { code?: string };
  const hint =
    e.code === 'ECONNREFUSED' ? ` (is Postgres running at ${new URL(env.DATABASE_URL).host}?)` : '';
  logger.fatal({ err: e }, `vigil api failed to start: ${e.message}${hint}`);
  process.exit(1);
}
