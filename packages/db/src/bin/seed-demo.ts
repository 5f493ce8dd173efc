#!/usr/bin/env node
// Seeds the demo workspace once and prints how to sign in and which API key to use.
// Credentials are random per install and kept in .vigil/demo-credentials.json (git-ignored).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAlertRule } from '../alerts/rules.js';
import { generateApiKey } from '../api-keys.js';
import { ensureWorkspace } from '../bootstrap.js';
import { createDb } from '../db.js';
import { readDbEnv } from '../env.js';

interface DemoCredentials {
  email: string;
  password: string;
  apiKey: string;
}

const file = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../.vigil/demo-credentials.json');

async function loadOrCreate(): Promise<DemoCredentials> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
  } catch {
    const creds = {
      email: 'demo@vigil.local',
      password: randomBytes(9).toString('base64url'),
      apiKey: generateApiKey().secret,
    };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
    return creds;
  }
}

const { DATABASE_URL } = readDbEnv();
const db = createDb({ url: DATABASE_URL, max: 2, applicationName: 'vigil-seed' });
try {
  const creds = await loadOrCreate();
  const ids = await ensureWorkspace(db.system, {
    organization: 'Demo Workspace',
    project: 'Fraud Detection',
    team: 'Risk ML',
    apiKey: creds.apiKey,
    userEmail: creds.email,
    userPassword: creds.password,
    userName: 'Demo User',
  });
  // A first alert rule, so the Alerts page shows the demo traffic's drift (no channel: nothing is sent anywhere).
  const t = db.forTenant(ids.organizationId);
  if ((await t.alertRule.count({ where: { teamId: ids.teamId } })) === 0) {
    await createAlertRule(t, { organizationId: ids.organizationId, userId: ids.userId }, ids.teamId, {
      name: 'Feature drift',
      metric: 'drift_detected',
      column: { kind: 'any' },
      granularity: 'hour',
      condition: { threshold: { kind: 'drift_verdict' } },
    });
  }
  console.log(
    [
      '',
      `  Demo workspace ${ids.created ? 'created' : 'ready'}.`,
      `    sign in:  ${creds.email}  /  ${creds.password}`,
      `    API key:  ${creds.apiKey}   (project "Fraud Detection", scopes ingest+read)`,
      `    (kept in .vigil/demo-credentials.json)`,
      '',
    ].join('\n'),
  );
} catch (err) {
  console.error(`seeding the demo workspace failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
