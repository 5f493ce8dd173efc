import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (this file is dist/env.js of packages/demo once built). */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Environment of the demo's command-line tools (`vigil-demo-seed`, `vigil-demo-simulate`). */
export const DemoEnvSchema = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
  API_PORT: z.coerce.number().int().positive().default(4000),
  /** The API the simulator sends to; default http://localhost:$API_PORT. */
  VIGIL_API_URL: z.string().url().optional(),
  /** Where the demo's sign-in, keys and story anchor are kept. */
  VIGIL_DEMO_CREDENTIALS: z.string().min(1).default(resolve(ROOT, '.vigil/demo-credentials.json')),
  /** Multiplies the story's hourly volumes (seed and simulator alike). */
  VIGIL_DEMO_SCALE: z.coerce.number().positive().max(10).default(1),
});

export function readDemoEnv(env: NodeJS.ProcessEnv = process.env) {
  const parsed = DemoEnvSchema.parse(env);
  return { ...parsed, VIGIL_API_URL: parsed.VIGIL_API_URL ?? `http://localhost:${parsed.API_PORT}` };
}
