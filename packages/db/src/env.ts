import { z } from 'zod';

/** Environment of the db package's own command-line tools (migrate). Apps parse their own. */
export const DbEnvSchema = z.object({
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/vigil'),
});

export function readDbEnv(env: NodeJS.ProcessEnv = process.env) {
  return DbEnvSchema.parse(env);
}
