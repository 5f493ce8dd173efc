import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const ApiEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Public URL of the web app, used in links. */
    WEB_URL: z.string().url().default('http://localhost:3000'),
    /** Pooled Postgres connections of this process. */
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
    /** Run the SQL migrations at start-up (single-machine installs). */
    MIGRATE_ON_START: bool.default(false),
    VIGIL_INIT_ORG: z.string().min(1).optional(),
    VIGIL_INIT_PROJECT: z.string().min(1).optional(),
    VIGIL_INIT_API_KEY: z.string().min(1).optional(),
    VIGIL_INIT_USER_EMAIL: z.string().email().optional(),
    VIGIL_INIT_USER_PASSWORD: z.string().min(8).optional(),
  })
  .superRefine((env, ctx) => {
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
