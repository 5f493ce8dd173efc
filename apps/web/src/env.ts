import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_WINDOW_GRACE_MS, ReceiverAllowListSchema, ReferenceLimits } from '@vigil/contracts';
import { DEVELOPMENT_SECRET_KEY, ResourceLimitsEnvSchema } from '@vigil/db';
import { z } from 'zod';

/**
 * The web app's configuration: the only place that reads `process.env`. Parsed on first use
 * (not at import) so `next build` never needs runtime secrets.
 */
export const WebEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Public URL of this web app: links in invitations and password resets, cookie origin. */
  WEB_URL: z.string().url().default('http://localhost:3000'),
  /** Public URL of the ingestion API, shown in the SDK snippet. */
  API_URL: z.string().url().default('http://localhost:4000'),
  /** Signs session cookies and tokens. At least 32 characters; see `resolveAuthSecret`. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * Seals notification channel secrets (webhook URLs, signing secrets, routing keys). At least
   * 32 characters, the same value as the API's and the worker's (they open what the web app
   * seals). Required in production; see `resolveSecretKey`.
   */
  VIGIL_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /**
   * How long after an hour or day ends before it counts as complete: the worker's
   * WINDOW_GRACE_MS, which backtest previews apply the same way.
   */
  WINDOW_GRACE_MS: z.coerce.number().int().min(0).max(86_400_000).default(DEFAULT_WINDOW_GRACE_MS),
  /** A reference upload's size after decompression (bytes) and the time it may take (seconds). */
  REFERENCE_MAX_BYTES: z.coerce.number().int().min(1).default(ReferenceLimits.maxUploadBytes),
  REFERENCE_UPLOAD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(ReferenceLimits.uploadTimeoutMs / 1000),
  /**
   * Host names and CIDR ranges (comma-separated, e.g. `hooks.internal,10.1.0.0/16`) that webhook and
   * Slack channels may send to although internal. Unset: public addresses only.
   */
  VIGIL_NOTIFICATION_ALLOW_HOSTS: ReceiverAllowListSchema,
  /**
   * SMTP server for password-reset mail, e.g. smtp://user:pass@mail.example.com:587 or
   * smtps://…:465. Unset: password reset is disabled (the reset page says so).
   */
  VIGIL_SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//i.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From of password-reset mail (default: Vigil <no-reply@host of WEB_URL>). */
  VIGIL_MAIL_FROM: z.string().min(3).optional(),
  /** Per-model caps on what the app registers (reference datasets: MAX_REFERENCES_PER_MODEL); the same as the API's. */
  ...ResourceLimitsEnvSchema.shape,
  /** Host and port BI tools are told to connect to for the workspace BI login (docs/bi.md). Unset: DATABASE_URL's. */
  VIGIL_BI_HOST: z.string().trim().min(1).optional(),
  VIGIL_BI_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Where a generated secret is kept when AUTH_SECRET is not set (default: <repo>/.vigil). */
  VIGIL_STATE_DIR: z.string().min(1).optional(),
});
export type WebEnv = z.infer<typeof WebEnvSchema>;

let cached: WebEnv | undefined;

export function env(): WebEnv {
  if (cached) return cached;
  const result = WebEnvSchema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid web configuration:\n${lines.join('\n')}`);
  }
  cached = result.data;
  return cached;
}

/** A fixed secret for development and tests only: never accepted in production. */
const DEV_SECRET = 'vigil-development-secret-not-for-production-use';

function stateDir(e: WebEnv): string {
  if (e.VIGIL_STATE_DIR) return resolve(e.VIGIL_STATE_DIR);
  // The repository root (where `pnpm start` keeps .vigil/), else the working directory.
  let dir = process.cwd();
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return join(dir, '.vigil');
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), '.vigil');
    dir = up;
  }
}

/**
 * AUTH_SECRET when set. Otherwise: in production a random secret generated once and kept in
 * `.vigil/auth-secret` (so `pnpm start` works out of the box and sessions survive restarts;
 * several web instances must share AUTH_SECRET instead); in development and tests a fixed one.
 */
export function resolveAuthSecret(e: WebEnv = env()): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV !== 'production') return DEV_SECRET;
  const file = join(stateDir(e), 'auth-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not generated yet
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  console.warn(
    `AUTH_SECRET is not set: generated one and stored it in ${file}. Set AUTH_SECRET when running more than one web instance.`,
  );
  return secret;
}

/**
 * The key channel secrets are sealed with: VIGIL_SECRET_KEY, or outside production the
 * development key every Vigil process shares. In production there is no fallback: a key
 * generated here could not be opened by the worker and the API.
 */
export function resolveSecretKey(e: WebEnv = env()): string {
  if (e.VIGIL_SECRET_KEY) return e.VIGIL_SECRET_KEY;
  if (e.NODE_ENV === 'production') {
    throw new Error(
      'invalid web configuration:\n  VIGIL_SECRET_KEY: is required in production (at least 32 characters, the same value as the API and the worker use)',
    );
  }
  return DEVELOPMENT_SECRET_KEY;
}

/**
 * Checks the configuration when the server starts (from `instrumentation.ts`), so a bad one
 * fails at once with a clear message instead of on the first request that needs it. Skipped
 * while `next build` loads the server code.
 */
export function checkServerConfig(): void {
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  resolveSecretKey(env());
}
