import { connectAs, createTestTenant, dropBiLogins, seedBiWorkspace, TEST_DATABASE_URL } from '@vigil/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../../../test/support/api.js';

const ctx = useTestApi({ VIGIL_BI_HOST: 'bi.example.test', VIGIL_BI_PORT: '6543' });
const orgs: string[] = [];
afterAll(() => dropBiLogins(ctx.db, orgs));

async function call(method: string, key: string) {
  const res = await fetch(`${ctx.api.url}/v1/bi-access`, { method, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A workspace whose key its owner created (as in the web app, or with headless init). */
async function workspace(scopes?: string[]) {
  const t = await createTestTenant(ctx.db, scopes ? { scopes } : {});
  orgs.push(t.organizationId);
  await ctx.db.system.apiKey.update({ where: { id: t.apiKey.id }, data: { createdById: t.userId } });
  return t;
}

describe('POST /v1/bi-access', () => {
  it('gives an admin key the workspace login, with the configured host and port, and reads only its workspace', async () => {
    const a = await workspace();
    const b = await workspace();
    const seeded = await seedBiWorkspace(ctx.db, a, { models: 1, hours: 24 });
    await seedBiWorkspace(ctx.db, b, { models: 1, hours: 24 });
    const r = await call('POST', a.apiKey.secret);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      host: 'bi.example.test',
      port: 6543,
      database: new URL(TEST_DATABASE_URL).pathname.slice(1),
      user: expect.stringMatching(/^vigil_bi_[0-9a-f]{16}$/),
      password: expect.stringMatching(/^[\w-]{32}$/),
      schema: 'bi',
    });
    const client = await connectAs(r.body.user as string, r.body.password as string);
    try {
      const { rows } = await client.query('SELECT model_id FROM bi.models');
      expect(rows).toEqual([{ model_id: seeded.models[0]!.modelId }]);
      await expect(client.query('SELECT 1 FROM models LIMIT 1')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
    const status = await call('GET', a.apiKey.secret);
    expect(status.body).toMatchObject({ host: 'bi.example.test', login: { user: r.body.user }, schema: 'bi' });
    expect(JSON.stringify(status.body)).not.toContain(r.body.password as string);
    const audit = await ctx.db.forTenant(a.organizationId).auditLog.findMany({ where: { targetType: 'bi_access' } });
    expect(audit.map((x) => [x.action, x.actorApiKeyId])).toEqual([['bi_access.created', a.apiKey.id]]);
  });

  it('refuses keys without the admin scope and leaves the workspace without a login', async () => {
    const t = await workspace(['ingest', 'read']);
    expect((await call('POST', t.apiKey.secret)).status).toBe(403);
    expect((await call('DELETE', t.apiKey.secret)).status).toBe(403);
    expect((await ctx.db.pool.query('SELECT 1 FROM bi_logins WHERE organization_id = $1', [t.organizationId])).rowCount).toBe(0);
    expect((await call('POST', 'vgl_not-a-key')).status).toBe(401);
  });

  it("refuses an admin key whose creator is not (or no longer) a workspace owner or admin", async () => {
    const t = await workspace();
    await ctx.db.system.membership.updateMany({ where: { organizationId: t.organizationId, userId: t.userId }, data: { role: 'MEMBER' } });
    for (const method of ['GET', 'POST', 'DELETE']) {
      const r = await call(method, t.apiKey.secret);
      expect(r.status, method).toBe(403);
      expect(JSON.stringify(r.body)).toContain('created by a workspace owner or admin');
    }
    await ctx.db.system.apiKey.update({ where: { id: t.apiKey.id }, data: { createdById: null } });
    expect((await call('POST', t.apiKey.secret)).status).toBe(403);
    expect((await ctx.db.pool.query('SELECT 1 FROM bi_logins WHERE organization_id = $1', [t.organizationId])).rowCount).toBe(0);
  });

  it("B's key cannot rotate or revoke A's login: it only ever acts on B's own", async () => {
    const a = await workspace();
    const b = await workspace();
    const la = await call('POST', a.apiKey.secret);
    const lb = await call('POST', b.apiKey.secret);
    expect(lb.body.user).not.toBe(la.body.user);
    expect(await call('DELETE', b.apiKey.secret)).toEqual({ status: 200, body: { revoked: true } });
    expect(await call('DELETE', b.apiKey.secret)).toEqual({ status: 200, body: { revoked: false } });
    // A's login is untouched: it still connects and reads.
    const client = await connectAs(la.body.user as string, la.body.password as string);
    try {
      expect((await client.query('SELECT count(*) AS n FROM bi.models')).rows).toEqual([{ n: '0' }]);
    } finally {
      await client.end();
    }
    const again = await call('POST', a.apiKey.secret);
    expect(again).toMatchObject({ status: 201, body: { user: la.body.user } });
    expect(again.body.password).not.toBe(la.body.password);
    expect(await call('DELETE', a.apiKey.secret)).toEqual({ status: 200, body: { revoked: true } });
    await expect(connectAs(la.body.user as string)).rejects.toMatchObject({ code: '28000' });
  });
});
