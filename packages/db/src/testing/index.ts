import { randomBytes } from 'node:crypto';
import { generateApiKey } from '../api-keys.js';
import { createDb, type Db } from '../db.js';
import { ensureDatabase, migrate } from '../migrate.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './env.js';

export { TEST_DATABASE_URL, TEST_REDIS_URL };
export type { Db };

/** For vitest `globalSetup`: creates the test database if needed and migrates it once. */
export async function prepareTestDatabase(url = TEST_DATABASE_URL): Promise<void> {
  await ensureDatabase(url);
  await migrate(url);
  // The test database outlives runs: keep the partitions a run may write to (90 days back).
  const db = createDb({ url, max: 1, applicationName: 'vigil-test-setup' });
  try {
    await db.pool.query(`SELECT vigil_ensure_partitions(current_date - 91, current_date + 3)`);
  } finally {
    await db.close();
  }
}

export interface PrivateTestDatabase {
  url: string;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

/**
 * A migrated database of its own, for a suite that runs whole worker processes: their sweeps see
 * every tenant of the database they run on, so on the shared test database they would also work
 * through the backlogs other suites leave behind.
 */
export async function createPrivateTestDatabase(label: string): Promise<PrivateTestDatabase> {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`database label "${label}" must be lowercase letters, digits and _`);
  const url = new URL(TEST_DATABASE_URL);
  const name = `${decodeURIComponent(url.pathname.slice(1))}_${label}_${randomBytes(3).toString('hex')}`;
  url.pathname = `/${name}`;
  await prepareTestDatabase(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(TEST_DATABASE_URL);
      admin.pathname = '/postgres';
      const db = createDb({ url: admin.toString(), max: 1, applicationName: 'vigil-test-setup' });
      try {
        await db.pool.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await db.close();
      }
    },
  };
}

export function createTestDb(url = TEST_DATABASE_URL): Db {
  return createDb({ url, max: 5, applicationName: 'vigil-test' });
}

export interface TestTenant {
  organizationId: string;
  teamId: string;
  projectId: string;
  userId: string;
  userEmail: string;
  apiKey: { id: string; secret: string; prefix: string };
  /** A unique suffix, handy for naming more objects in the same test. */
  tag: string;
}

/**
 * A fresh workspace per test: organization, team, project, an owner (also team maintainer)
 * and an API key with the given scopes. Nothing is shared between tests.
 */
export async function createTestTenant(db: Db, opts: { scopes?: string[] } = {}): Promise<TestTenant> {
  const tag = randomBytes(5).toString('hex');
  const key = generateApiKey();
  const s = db.system;
  const org = await s.organization.create({ data: { name: `Test ${tag}`, slug: `test-${tag}` } });
  const user = await s.user.create({ data: { email: `owner-${tag}@example.test`, name: `Owner ${tag}` } });
  await s.membership.create({ data: { organizationId: org.id, userId: user.id, role: 'OWNER' } });
  const team = await s.team.create({ data: { organizationId: org.id, name: `Team ${tag}`, slug: `team-${tag}` } });
  await s.teamMember.create({ data: { organizationId: org.id, teamId: team.id, userId: user.id, role: 'MAINTAINER' } });
  const project = await s.project.create({
    data: { organizationId: org.id, teamId: team.id, name: `Project ${tag}`, slug: `project-${tag}` },
  });
  const apiKey = await s.apiKey.create({
    data: {
      organizationId: org.id,
      projectId: project.id,
      name: 'test key',
      prefix: key.prefix,
      hash: key.hash,
      scopes: opts.scopes ?? ['ingest', 'read', 'admin'],
    },
  });
  return {
    organizationId: org.id,
    teamId: team.id,
    projectId: project.id,
    userId: user.id,
    userEmail: user.email,
    apiKey: { id: apiKey.id, secret: key.secret, prefix: key.prefix },
    tag,
  };
}
export { connectAs, dropBiLogins, seedBiWorkspace, type SeededBiModel, type SeededBiWorkspace } from './bi.js';
