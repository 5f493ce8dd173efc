import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import pg from 'pg';

import { AuditAction, VigilError } from '@vigil/contracts';
import type { Actor } from './audit.js';
import { inTransaction } from './executor.js';

/**
 * A workspace's BI login: a Postgres role that reads the `bi` views and sees only its own
 * workspace's rows (prisma/migrations/0016_bi_schema.sql, docs/bi.md). Role names and passwords
 * are generated here; nothing a user types reaches the DDL, and identifiers are still quoted.
 */
export interface BiLogin {
  user: string;
  createdAt: Date;
  rotatedAt: Date;
}

export interface IssuedBiLogin {
  user: string;
  /** Shown once; Postgres keeps only its SCRAM verifier. */
  password: string;
  /** false: the existing login got a new password (the old one no longer signs in). */
  created: boolean;
}

/** The group role every login belongs to (created by the migration). */
export const BI_READER_ROLE = 'vigil_bi_reader';
/** Connections one BI login may hold at once, and how long one of its statements may run. */
export const BI_CONNECTION_LIMIT = 10;
export const BI_STATEMENT_TIMEOUT = '60s';

const SCRAM_ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier Postgres stores for `password` (RFC 5802 / 7677), so that the
 * password itself never appears in a statement (nor in a server log of DDL). The password is
 * ASCII (generated here), for which SASLprep is the identity.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Whether `password` matches a stored SCRAM-SHA-256 verifier. */
export function scramMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  return scramVerifier(password, Buffer.from(m[2]!, 'base64'), Number(m[1])) === verifier;
}

const escapeIdentifier = (name: string) => pg.escapeIdentifier(name);

function newRoleName(): string {
  return `vigil_bi_${randomBytes(8).toString('hex')}`;
}

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

/** Postgres refused: the database user may not create or change roles. */
function notPermitted(err: unknown): never {
  const code = (err as { code?: string }).code;
  if (code === '42501' || code === '42704') {
    throw new VigilError(
      'CONFLICT',
      `BI logins are not available: the database user of this Vigil installation needs CREATEROLE and the role ${BI_READER_ROLE} (see docs/bi.md)`,
    );
  }
  throw err;
}

async function lockWorkspace(client: pg.PoolClient, organizationId: string): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [organizationId]);
  if (!rowCount) throw new VigilError('NOT_FOUND', 'workspace not found');
}

async function audit(client: pg.PoolClient, actor: Actor, action: AuditAction, user: string): Promise<void> {
  await client.query(
    `INSERT INTO audit_logs (organization_id, actor_user_id, actor_api_key_id, action, target_type, target_id, details)
     VALUES ($1, $2, $3, $4, 'bi_access', $1, $5)`,
    [actor.organizationId, actor.userId ?? null, actor.apiKeyId ?? null, action, JSON.stringify({ user })],
  );
}

/**
 * Ends the login's open sessions where the database user may (superuser, or a member of
 * pg_signal_backend), and waits up to `waitMs` for them to be gone. Best effort: a revoked
 * login has already lost every right, a rotated one keeps only sessions opened before.
 */
async function endSessions(pool: pg.Pool, user: string, waitMs = 2_000): Promise<void> {
  try {
    await pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [user]);
    for (const until = Date.now() + waitMs; Date.now() < until; ) {
      const { rowCount } = await pool.query('SELECT 1 FROM pg_stat_activity WHERE usename = $1', [user]);
      if (!rowCount) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch {
    // not permitted to signal its sessions: they end when their clients disconnect
  }
}

/** The workspace's BI login, if it has one. */
export async function getBiLogin(pool: pg.Pool | pg.PoolClient, organizationId: string): Promise<BiLogin | null> {
  const { rows } = await pool.query<{ role_name: string; created_at: Date; rotated_at: Date }>(
    'SELECT role_name, created_at, rotated_at FROM bi_logins WHERE organization_id = $1',
    [organizationId],
  );
  const r = rows[0];
  return r ? { user: r.role_name, createdAt: r.created_at, rotatedAt: r.rotated_at } : null;
}

/**
 * Creates the workspace's BI login, or gives the existing one a new password (rotation: the
 * old password stops working for new connections, and the login's open sessions are ended).
 * Audit-logged in the same transaction.
 */
export async function issueBiLogin(pool: pg.Pool, actor: Actor): Promise<IssuedBiLogin> {
  const password = newPassword();
  const verifier = scramVerifier(password);
  const issued = await inTransaction(pool, async (client) => {
    await lockWorkspace(client, actor.organizationId);
    const existing = await getBiLogin(client, actor.organizationId);
    const user = existing?.user ?? newRoleName();
    const role = client.escapeIdentifier(user);
    // A mapped role dropped by hand since is made again under the same name.
    const roleExists = existing !== null && Boolean((await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user])).rowCount);
    try {
      if (roleExists) {
        await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${client.escapeLiteral(verifier)}`);
      } else {
        await client.query(`CREATE ROLE ${role} WITH LOGIN PASSWORD ${client.escapeLiteral(verifier)} CONNECTION LIMIT ${BI_CONNECTION_LIMIT}`);
        await client.query(`GRANT ${client.escapeIdentifier(BI_READER_ROLE)} TO ${role}`);
        await client.query(`ALTER ROLE ${role} SET statement_timeout = ${client.escapeLiteral(BI_STATEMENT_TIMEOUT)}`);
        await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
      }
    } catch (err) {
      notPermitted(err);
    }
    if (existing) {
      await client.query('UPDATE bi_logins SET rotated_at = now() WHERE organization_id = $1', [actor.organizationId]);
    } else {
      await client.query('INSERT INTO bi_logins (organization_id, role_name, created_by_id) VALUES ($1, $2, $3)', [
        actor.organizationId,
        user,
        actor.userId ?? null,
      ]);
    }
    await audit(client, actor, existing ? AuditAction.biAccessRotated : AuditAction.biAccessCreated, user);
    return { user, password, created: !existing };
  });
  if (!issued.created) await endSessions(pool, issued.user);
  return issued;
}

/**
 * Revokes the workspace's BI login: in one transaction it loses the right to log in and its
 * membership of the reader role (open sessions fail on their next query), then its sessions are
 * ended and the role is dropped. A role that cannot be dropped yet (a session that could not be
 * ended still holds a temporary table) stays behind without login and without rights.
 * Returns false when the workspace had no login.
 */
export async function revokeBiLogin(pool: pg.Pool, actor: Actor): Promise<boolean> {
  const user = await inTransaction(pool, async (client) => {
    await lockWorkspace(client, actor.organizationId);
    const { rows } = await client.query<{ role_name: string }>('DELETE FROM bi_logins WHERE organization_id = $1 RETURNING role_name', [
      actor.organizationId,
    ]);
    const role = rows[0]?.role_name;
    if (!role) return null;
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (rowCount) {
      try {
        await client.query(`ALTER ROLE ${client.escapeIdentifier(role)} WITH NOLOGIN PASSWORD NULL`);
        await client.query(`REVOKE ${client.escapeIdentifier(BI_READER_ROLE)} FROM ${client.escapeIdentifier(role)}`);
      } catch (err) {
        notPermitted(err);
      }
    }
    await audit(client, actor, AuditAction.biAccessRevoked, role);
    return role;
  });
  if (user === null) return false;
  await endSessions(pool, user);
  await pool.query(`DROP ROLE IF EXISTS ${escapeIdentifier(user)}`).catch(() => {});
  return true;
}
