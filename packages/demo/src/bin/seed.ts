#!/usr/bin/env node
// Seeds the demo workspace (once: a second run changes nothing) and prints how to sign in and
// which API key to use. Credentials are random per install and kept in
// .vigil/demo-credentials.json (git-ignored), with a key per project and the story's anchor.
import { relative } from 'node:path';
import { createDb } from '@vigil/db';
import { readCredentials, writeCredentials } from '../credentials.js';
import { readDemoEnv } from '../env.js';
import { seedDemo } from '../seed.js';

const env = readDemoEnv();
const db = createDb({ url: env.DATABASE_URL, max: 4, applicationName: 'vigil-demo-seed' });
const started = Date.now();
try {
  const file = env.VIGIL_DEMO_CREDENTIALS;
  const prior = await readCredentials(file);
  const result = await seedDemo(db, { ...(prior ? { credentials: prior } : {}), scale: env.VIGIL_DEMO_SCALE, log: (line) => console.log(`    ${line}`) });
  await writeCredentials(file, result.credentials);
  const c = result.credentials;
  const fraudSlug = Object.keys(c.apiKeys ?? {}).find((slug) => c.apiKeys![slug] === c.apiKey);
  const others = Object.entries(c.apiKeys ?? {}).filter(([slug]) => slug !== fraudSlug);
  const wrote = Object.values(result.models).some((m) => m.created);
  console.log(
    [
      '',
      `  Demo workspace ${result.created ? 'created' : 'ready'}${wrote ? ` (history written in ${((Date.now() - started) / 1000).toFixed(1)} s)` : ''}.`,
      `    sign in:  ${c.email}  /  ${c.password}`,
      `    API key:  ${c.apiKey}   (project "Fraud Detection", scopes ingest+read)`,
      ...others.map(([slug, key]) => `              ${key}   (project "${result.projects[slug]?.name ?? slug}")`),
      `    (kept in ${relative(process.cwd(), file) || file})`,
      '',
    ].join('\n'),
  );
} catch (err) {
  console.error(`seeding the demo workspace failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
