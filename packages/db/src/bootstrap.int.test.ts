import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-keys.js';
import { ensureWorkspace } from './bootstrap.js';
import { verifyPassword } from './passwords.js';
import { createTestDb } from './testing/index.js';

const db = createTestDb();
afterAll(() => db.close());

describe('headless workspace initialisation', () => {
  it('creates workspace, team, project, key and owner once, and changes nothing when repeated', async () => {
    const tag = randomBytes(4).toString('hex');
    const key = generateApiKey();
    const init = {
      organization: `Init Org ${tag}`,
      project: 'Fraud Models',
      apiKey: key.secret,
      userEmail: `Admin-${tag}@Example.test`,
      userPassword: 'correct horse battery staple',
    };
    const first = await ensureWorkspace(db.system, init);
    const second = await ensureWorkspace(db.system, init);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second).toMatchObject({ ...first, created: false });

    const scoped = db.forTenant(first.organizationId);
    expect(await scoped.project.count()).toBe(1);
    expect(await scoped.team.count()).toBe(1);
    const stored = await scoped.apiKey.findFirstOrThrow();
    expect(stored.hash).toBe(hashApiKey(key.secret));
    expect(stored.scopes.sort()).toEqual(['ingest', 'read']);
    expect(JSON.stringify(stored)).not.toContain(key.secret);

    const user = await db.system.user.findUniqueOrThrow({ where: { email: `admin-${tag}@example.test` } });
    const account = await db.system.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(await verifyPassword(account.password!, init.userPassword)).toBe(true);
    expect(await verifyPassword(account.password!, 'wrong')).toBe(false);
    const m = await scoped.membership.findFirstOrThrow({ where: { userId: user.id } });
    expect(m.role).toBe('OWNER');
  });

  it('refuses to make an existing user owner when the init password is not theirs, and changes nothing', async () => {
    const tag = randomBytes(4).toString('hex');
    const victim = await ensureWorkspace(db.system, {
      organization: `Victim Org ${tag}`,
      project: 'p',
      apiKey: generateApiKey().secret,
      userEmail: `victim-${tag}@example.test`,
      userPassword: 'the victim password',
    });
    const attempt = {
      organization: `Attacker Org ${tag}`,
      project: 'p',
      apiKey: generateApiKey().secret,
      userEmail: `VICTIM-${tag}@example.test`,
      userPassword: 'a guessed password',
    };
    await expect(ensureWorkspace(db.system, attempt)).rejects.toThrow(
      new RegExp(`initial user victim-${tag}@example.test already exists and VIGIL_INIT_USER_PASSWORD is not their password: nothing was changed`),
    );
    expect(await db.system.organization.count({ where: { name: attempt.organization } })).toBe(0);
    expect(await db.system.membership.findMany({ where: { userId: victim.userId }, select: { organizationId: true } })).toEqual([
      { organizationId: victim.organizationId },
    ]);

    const withPassword = await ensureWorkspace(db.system, { ...attempt, userPassword: 'the victim password' });
    expect(withPassword.userId).toBe(victim.userId);
    const m = await db.forTenant(withPassword.organizationId).membership.findFirstOrThrow({ where: { userId: victim.userId } });
    expect(m.role).toBe('OWNER');
  });

  it('gives the initial key the scopes asked for (VIGIL_INIT_API_KEY_SCOPES), and applies a changed list on restart', async () => {
    const tag = randomBytes(4).toString('hex');
    const key = generateApiKey();
    const init = {
      organization: `Scoped Org ${tag}`,
      project: 'Infra',
      apiKey: key.secret,
      userEmail: `iac-${tag}@example.test`,
      userPassword: 'correct horse battery staple',
      apiKeyScopes: ['ingest', 'read', 'admin'] as const,
    };
    const first = await ensureWorkspace(db.system, { ...init, apiKeyScopes: [...init.apiKeyScopes] });
    const stored = async () => (await db.system.apiKey.findUniqueOrThrow({ where: { id: first.apiKeyId } })).scopes.sort();
    expect(await stored()).toEqual(['admin', 'ingest', 'read']);
    await ensureWorkspace(db.system, { ...init, apiKeyScopes: ['read'] });
    expect(await stored()).toEqual(['read']);
  });

  it('rejects an initial key that is not shaped like a Vigil key', async () => {
    await expect(
      ensureWorkspace(db.system, {
        organization: 'x',
        project: 'y',
        apiKey: 'not-a-key',
        userEmail: 'a@b.test',
        userPassword: 'pw-pw-pw-pw',
      }),
    ).rejects.toThrow(/API key must look like/);
  });
});
