import { ApiKeyScopeSchema, DEFAULT_WINDOW_GRACE_MS, ReceiverAllowListSchema, ReferenceLimits } from '@vigil/contracts';
import { missingSecretKey, ResourceLimitsEnvSchema } from '@vigil/db';
import { z } from 'zod';

/** `VIGIL_TRUSTED_PROXIES`: false (none), a hop count, or addresses / CIDR ranges as Fastify's trustProxy takes them. */
const trustedProxies = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): false | number | string[] => {
    if (!v || v === 'none') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    const bad = entries.filter((e) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(e));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected a hop count or addresses / CIDR ranges, not ${bad.join(', ')}` });
      return z.NEVER;
    }
    return entries;
  });

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const ApiEnvSchema = z
  .object({
    /** Unset is not development: the public development key is used only when development (or test) is chosen explicitly. */
    NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Public URL of the web app, used in links. */
    WEB_URL: z.string().url().default('http://localhost:3000'),
    /** Pooled Postgres connections of this process. */
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    /** Ingest writes in flight at once; requests arriving meanwhile are committed together (group commit). */
    INGEST_WRITE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** Prediction events that may wait for a write in this process; beyond, ingest answers 503 with Retry-After. */
    INGEST_MAX_QUEUED_EVENTS: z.coerce.number().int().min(1).default(100_000),
    /** API processes on this machine (node:cluster); they share the port. 1 = no cluster. */
    API_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    /** Run the SQL migrations at start-up (single-machine installs). */
    MIGRATE_ON_START: bool.default(false),
    /** How long API-key lookups (found or not) are cached; bounds how late a revocation applies. */
    API_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(5_000).default(5_000),
    /** Per-project token bucket: sustained requests per second (0 disables) and burst size. */
    RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(2_000),
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(4_000),
    /**
     * Failed API-key checks allowed per client address: sustained per minute (0 disables) and
     * burst. Beyond, the address is answered 429 with Retry-After, without looking the key up.
     */
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().min(0).default(30),
    AUTH_FAILURE_BURST: z.coerce.number().int().min(1).default(20),
    /**
     * Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: a number of hops
     * (e.g. 1), or a comma-separated list of addresses / CIDR ranges (e.g. 10.0.0.0/8,loopback).
     * Unset: none, the client address is the socket's.
     */
    VIGIL_TRUSTED_PROXIES: trustedProxies,
    /** The limiter lets a request through when Redis has not answered within this time. */
    RATE_LIMIT_TIMEOUT_MS: z.coerce.number().int().min(10).default(250),
    /** BullMQ key prefix shared by api and worker (one Redis can serve several installs). */
    QUEUE_PREFIX: z.string().regex(/^(?:[\w.-]+|\{[\w.-]+\})$/, 'letters, digits, . _ - (wrap it in braces, e.g. {vigil}, for Redis Cluster)').default('bull'),
    /** Retry-After sent with 503 when Postgres is unavailable. */
    RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
    /** Upper bound of enqueueing a pipeline job after a batch committed (the batch path recomputes if it is missed). */
    ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(10).default(2_000),
    /** Seals notification channel secrets (shared with the web app and the worker); at least 32 characters. Required in production. */
    VIGIL_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** A request's handling (body parsing included) must finish within this time, else 503 HANDLER_TIMEOUT with Retry-After. */
    HTTP_HANDLER_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** A JSON body must arrive completely within this time, else 408 REQUEST_TIMEOUT (a slow or stalled sender). */
    HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** A reference upload (streamed CSV/JSONL) must arrive and be stored within this time; also the longest any request may take to arrive. */
    HTTP_UPLOAD_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(1_800_000),
    /** A connection on which nothing is sent or received for this long is closed. */
    HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
    /** How long after an hour or day ends before it counts as complete (as the worker's WINDOW_GRACE_MS); for backtests. */
    WINDOW_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_WINDOW_GRACE_MS),
    /** A reference upload's size after decompression (bytes) and the time it may take (seconds). */
    REFERENCE_MAX_BYTES: z.coerce.number().int().min(1).default(ReferenceLimits.maxUploadBytes),
    REFERENCE_UPLOAD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(ReferenceLimits.uploadTimeoutMs / 1000),
    /**
     * Host names and CIDR ranges (comma-separated, e.g. `hooks.internal,10.1.0.0/16`) that webhook and
     * Slack channels may send to although internal. Unset: public addresses only.
     */
    VIGIL_NOTIFICATION_ALLOW_HOSTS: ReceiverAllowListSchema,
    /** Per-project and per-model caps on what ingest and the REST API register (409 LIMIT_EXCEEDED beyond). */
    ...ResourceLimitsEnvSchema.shape,
    /** Host and port BI tools are told to connect to for the workspace BI login (docs/bi.md). Unset: DATABASE_URL's. */
    VIGIL_BI_HOST: z.string().trim().min(1).optional(),
    VIGIL_BI_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** Opt-in Prometheus model metrics (drift, performance, label coverage, volume per model) on a port of their own; unset: off. */
    VIGIL_MODEL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** At most this many model series per scrape of that port. */
    VIGIL_MODEL_METRICS_MAX_SERIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
    VIGIL_INIT_ORG: z.string().min(1).optional(),
    VIGIL_INIT_PROJECT: z.string().min(1).optional(),
    VIGIL_INIT_API_KEY: z.string().min(1).optional(),
    VIGIL_INIT_USER_EMAIL: z.string().email().optional(),
    VIGIL_INIT_USER_PASSWORD: z.string().min(8).optional(),
    /** Scopes of the initial key: a comma list of ingest, read, admin. */
    VIGIL_INIT_API_KEY_SCOPES: z
      .string()
      .default('ingest,read')
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(ApiKeyScopeSchema, { error: 'expected a comma list of ingest, read, admin' }).min(1, 'expected at least one of ingest, read, admin')),
  })
  .superRefine((env, ctx) => {
    if (!env.VIGIL_SECRET_KEY && env.NODE_ENV !== 'development' && env.NODE_ENV !== 'test') {
      ctx.addIssue({ code: 'custom', path: ['VIGIL_SECRET_KEY'], message: missingSecretKey(env.NODE_ENV, 'the web app and the worker') });
    }
    const init = ['VIGIL_INIT_ORG', 'VIGIL_INIT_PROJECT', 'VIGIL_INIT_API_KEY', 'VIGIL_INIT_USER_EMAIL', 'VIGIL_INIT_USER_PASSWORD'] as const;
    const set = init.filter((k) => env[k] !== undefined);
    if (set.length > 0 && set.length < init.length) {
      for (const k of init.filter((k) => env[k] === undefined)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set` });
      }
    }
  });

export type ApiEnv = z.infer<typeof ApiEnvSchema>;

/** Parses the environment once at start-up; a bad value stops the process with a clear message. */
export function loadApiEnv(source: NodeJS.ProcessEnv = process.env): ApiEnv {
  const result = ApiEnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
