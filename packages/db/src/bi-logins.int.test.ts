import { createHash, createHmac } from 'node:crypto';
// pg's own SCRAM client (what connects to Postgres), to check the verifier we store independently.
// @ts-expect-error -- an internal module of pg without type declarations
import sasl from 'pg/lib/crypto/sasl.js';
import { afterAll, describe, expect, it } from 'vitest';
import { getBiLogin, issueBiLogin, revokeBiLogin, scramMatches, scramVerifier } from './bi-logins.js';
import { connectAs, createTestDb, createTestTenant, dropBiLogins } from './testing/index.js';

const db = createTestDb();
const orgs: string[] = [];
afterAll(async () => {
  await dropBiLogins(db, orgs);
  await db.close();
});

async function tenant() {
  const t = await createTestTenant(db);
  orgs.push(t.organizationId);
  return t;
}

async function storedVerifier(user: string): Promise<string | null> {
  const { rows } = await db.pool.query<{ rolpassword: string | null }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [user]);
  return rows[0]?.rolpassword ?? null;
}

/** The server side of a SCRAM-SHA-256 exchange (RFC 5802 §3) against a stored verifier, driven by pg's client. */
async function serverAccepts(verifier: string, password: string): Promise<boolean> {
  const [, iterations, salt, storedKey, serverKey] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier)!;
  const session = sasl.startSession(['SCRAM-SHA-256']);
  const serverFirst = `r=${session.clientNonce}servernonce,s=${salt},i=${iterations}`;
  await sasl.continueSession(session, password, serverFirst);
  const clientFinal: string = session.response;
  const withoutProof = clientFinal.replace(/,p=[^,]+$/, '');
  const proof = Buffer.from(/,p=([^,]+)$/.exec(clientFinal)![1]!, 'base64');
  const authMessage = `n=*,r=${session.clientNonce},${serverFirst},${withoutProof}`;
  const signature = createHmac('sha256', Buffer.from(storedKey!, 'base64')).update(authMessage).digest();
  const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
  if (createHash('sha256').update(clientKey).digest('base64') !== storedKey) return false;
  // The server proves itself too: pg's client checks the signature made with ServerKey.
  const serverSignature = createHmac('sha256', Buffer.from(serverKey!, 'base64')).update(authMessage).digest('base64');
  sasl.finalizeSession(session, `v=${serverSignature}`);
  return true;
}

describe('SCRAM verifiers', () => {
  it('let the right password through a SCRAM exchange and no other', async () => {
    const v = scramVerifier('correct horse');
    expect(await serverAccepts(v, 'correct horse')).toBe(true);
    expect(await serverAccepts(v, 'correct horsf')).toBe(false);
    expect(scramMatches(v, 'correct horse')).toBe(true);
    expect(scramMatches(v, 'wrong')).toBe(false);
  });
});

describe('workspace BI logins', () => {
  it('creates a login Postgres stores as our SCRAM verifier, with a random name and password', async () => {
    const t = await tenant();
    const login = await issueBiLogin(db.pool, { organizationId: t.organizationId, userId: t.userId });
    expect(login.created).toBe(true);
    expect(login.user).toMatch(/^vigil_bi_[0-9a-f]{16}$/);
    expect(login.password.length).toBeGreaterThanOrEqual(32);
    const verifier = await storedVerifier(login.user);
    // Stored as given (not re-hashed): Postgres took it for a SCRAM verifier.
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(await serverAccepts(verifier!, login.password)).toBe(true);
    expect((await getBiLogin(db.pool, t.organizationId))?.user).toBe(login.user);
    const { rows } = await db.pool.query<{ rolcanlogin: boolean; rolconnlimit: number; rolsuper: boolean; rolcreaterole: boolean; rolcreatedb: boolean }>(
      'SELECT rolcanlogin, rolconnlimit, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1',
      [login.user],
    );
    expect(rows[0]).toEqual({ rolcanlogin: true, rolconnlimit: 10, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    const audit = await db.forTenant(t.organizationId).auditLog.findMany({ where: { targetType: 'bi_access' } });
    expect(audit.map((r) => [r.action, r.actorUserId, r.details])).toEqual([['bi_access.created', t.userId, { user: login.user }]]);
  });

  it('rotation keeps the user, invalidates the old password and ends open sessions', async () => {
    const t = await tenant();
    const first = await issueBiLogin(db.pool, { organizationId: t.organizationId, userId: t.userId });
    const open = await connectAs(first.user, first.password);
    await open.query('SELECT 1');
    const second = await issueBiLogin(db.pool, { organizationId: t.organizationId, apiKeyId: t.apiKey.id });
    expect(second).toMatchObject({ user: first.user, created: false });
    expect(second.password).not.toBe(first.password);
    const verifier = (await storedVerifier(second.user))!;
    expect(await serverAccepts(verifier, second.password)).toBe(true);
    expect(await serverAccepts(verifier, first.password)).toBe(false);
    await expect(open.query('SELECT 1')).rejects.toThrow();
    await open.end().catch(() => {});
    const actions = (await db.forTenant(t.organizationId).auditLog.findMany({ where: { targetType: 'bi_access' }, orderBy: { id: 'asc' } })).map((r) => [
      r.action,
      r.actorApiKeyId,
    ]);
    expect(actions).toEqual([
      ['bi_access.created', null],
      ['bi_access.rotated', t.apiKey.id],
    ]);
  });

  it('revocation drops the login: new connections are refused and open sessions lose access', async () => {
    const t = await tenant();
    const login = await issueBiLogin(db.pool, { organizationId: t.organizationId, userId: t.userId });
    const open = await connectAs(login.user, login.password);
    expect((await open.query('SELECT count(*) FROM bi.models')).rowCount).toBe(1);
    expect(await revokeBiLogin(db.pool, { organizationId: t.organizationId, userId: t.userId })).toBe(true);
    await expect(open.query('SELECT count(*) FROM bi.models')).rejects.toThrow();
    await open.end().catch(() => {});
    await expect(connectAs(login.user, login.password)).rejects.toMatchObject({ code: '28000' });
    expect(await storedVerifier(login.user)).toBeNull();
    expect((await db.pool.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.user])).rowCount).toBe(0);
    expect(await getBiLogin(db.pool, t.organizationId)).toBeNull();
    expect(await revokeBiLogin(db.pool, { organizationId: t.organizationId })).toBe(false);
    const last = await db.forTenant(t.organizationId).auditLog.findFirst({ where: { targetType: 'bi_access' }, orderBy: { id: 'desc' } });
    expect(last?.action).toBe('bi_access.revoked');
  });

  it('revokes a login whose open session holds a temporary table', async () => {
    const t = await tenant();
    const login = await issueBiLogin(db.pool, { organizationId: t.organizationId });
    const open = await connectAs(login.user, login.password);
    await open.query('SET default_transaction_read_only = off');
    await open.query('CREATE TEMP TABLE mine (x int)');
    expect(await revokeBiLogin(db.pool, { organizationId: t.organizationId })).toBe(true);
    await expect(open.query('SELECT count(*) FROM bi.models')).rejects.toThrow();
    await open.end().catch(() => {});
    await expect(connectAs(login.user)).rejects.toMatchObject({ code: '28000' });
    expect(await storedVerifier(login.user)).toBeNull();
  });

  it('two workspaces issuing at once get two logins; one workspace issuing twice at once keeps one', async () => {
    const [x, y] = [await tenant(), await tenant()];
    const [lx, ly, lx2] = await Promise.all([
      issueBiLogin(db.pool, { organizationId: x.organizationId }),
      issueBiLogin(db.pool, { organizationId: y.organizationId }),
      issueBiLogin(db.pool, { organizationId: x.organizationId }),
    ]);
    expect(lx.user).not.toBe(ly.user);
    expect(lx2.user).toBe(lx.user);
    expect([lx.created, lx2.created].sort()).toEqual([false, true]);
  });

  it('answers 404 for a workspace that does not exist', async () => {
    await expect(issueBiLogin(db.pool, { organizationId: 'no-such-workspace' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
