#!/usr/bin/env node
import { readDbEnv } from '../env.js';
import { ensureDatabase, migrate } from '../migrate.js';

const { DATABASE_URL } = readDbEnv();
try {
  const created = await ensureDatabase(DATABASE_URL);
  if (created) console.log(`created database ${new URL(DATABASE_URL).pathname.slice(1)}`);
  const result = await migrate(DATABASE_URL);
  console.log(`migrations: ${result.applied.length} applied, ${result.skipped.length} already applied`);
} catch (err) {
  console.error(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
