import { DEFAULT_WINDOW_GRACE_MS, ReceiverAllowListSchema } from '@vigil/contracts';
import { DEVELOPMENT_SECRET_KEY, missingSecretKey, ResourceLimitsEnvSchema } from '@vigil/db';
import { z } from 'zod';
import { SCHEDULE_IDS } from './schedules.js';

export const WorkerEnvSchema = z.object({
  /** Unset is not development: the public development key is used only when development (or test) is chosen explicitly. */
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Jobs processed at once per queue by this process. */
  /** Port of the worker's HTTP server: /healthz, /readyz and /metrics (0, the default: none; the image and the Kubernetes manifests set 4100). */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  HEALTH_HOST: z.string().default('0.0.0.0'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long SIGTERM waits for in-flight jobs before releasing them to other workers. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** BullMQ key prefix shared by api and worker (one Redis can serve several installs). */
  QUEUE_PREFIX: z.string().regex(/^(?:[\w.-]+|\{[\w.-]+\})$/, 'letters, digits, . _ - (wrap it in braces, e.g. {vigil}, for Redis Cluster)').default('bull'),
  /** The former port of the worker's /metrics, kept as another name of HEALTH_PORT (the one server serves probes and metrics). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How long after an hour or day ends before it is recomputed exactly from stored events. */
  WINDOW_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_WINDOW_GRACE_MS),
  /** Public URL of the web app, for links in notifications. */
  WEB_URL: z.string().url().default('http://localhost:3000'),
  /** Opens channel secrets sealed by the web app and the API; at least 32 characters. Required in production. */
  VIGIL_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** SMTP server for email channels, e.g. smtp://user:pass@mail.example.com:587 (none: email deliveries fail). */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(3).default('Vigil <alerts@vigil.local>'),
  /** PagerDuty Events API v2 endpoint (override for tests or a proxy). */
  PAGERDUTY_EVENTS_URL: z.string().url().default('https://events.pagerduty.com/v2/enqueue'),
  /** First retry wait of a failed notification delivery; doubles up to one hour per wait. */
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(1_000),
  /**
   * Host names and CIDR ranges (comma-separated, e.g. `hooks.internal,10.1.0.0/16`) that webhook and
   * Slack deliveries may connect to although internal (each resolved address is checked). Unset: public addresses only.
   */
  VIGIL_NOTIFICATION_ALLOW_HOSTS: ReceiverAllowListSchema,
  /**
   * Notification deliveries of one workspace in flight at once, across every worker process: the
   * rest wait their turn, so one workspace's backlog to a slow receiver cannot hold every slot.
   * Keep it below WORKER_CONCURRENCY.
   */
  NOTIFY_WORKSPACE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Per-model caps (a reference's columns count against MAX_COLUMNS_PER_MODEL when its profile is built). */
  ...ResourceLimitsEnvSchema.shape,
  /** Daily partitions kept ready ahead of today. */
  PARTITIONS_AHEAD_DAYS: z.coerce.number().int().min(1).max(60).default(7),
  /**
   * Comma-separated ids of the schedules this process registers (default: all). Schedules are
   * cluster-wide per QUEUE_PREFIX, so one deployment registering them is enough.
   */
  WORKER_SCHEDULES: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(SCHEDULE_IDS)).optional()),
}).superRefine((env, ctx) => {
  if (env.HEALTH_PORT > 0 && env.WORKER_METRICS_PORT !== undefined && env.WORKER_METRICS_PORT !== env.HEALTH_PORT) {
    ctx.addIssue({
      code: 'custom',
      path: ['WORKER_METRICS_PORT'],
      message: `one server serves /healthz, /readyz and /metrics on HEALTH_PORT (${env.HEALTH_PORT}): unset WORKER_METRICS_PORT or give it the same port`,
    });
  }
  if (!env.VIGIL_SECRET_KEY && env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test') {
    ctx.addIssue({ code: 'custom', path: ['VIGIL_SECRET_KEY'], message: missingSecretKey(env.NODE_ENV, 'the web app and the API') });
  }
});
export type WorkerEnv = z.infer<typeof WorkerEnvSchema>;

/** Where the worker's HTTP server listens (HEALTH_PORT, or its older name WORKER_METRICS_PORT); null: no server. */
export function serverAddressOf(env: WorkerEnv): { port: number; host: string } | null {
  if (env.HEALTH_PORT > 0) return { port: env.HEALTH_PORT, host: env.HEALTH_HOST };
  if (env.WORKER_METRICS_PORT !== undefined) return { port: env.WORKER_METRICS_PORT, host: env.WORKER_METRICS_HOST };
  return null;
}

/** The key channel secrets are sealed with (the development key outside production). */
export function secretKeyOf(env: WorkerEnv): string {
  return env.VIGIL_SECRET_KEY ?? DEVELOPMENT_SECRET_KEY;
}

export function loadWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const result = WorkerEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
