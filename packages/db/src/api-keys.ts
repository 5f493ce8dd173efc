import { createHash, randomBytes } from 'node:crypto';
import { API_KEY_PATTERN, AuditAction, VigilError, type ApiKeyScope } from '@vigil/contracts';
import { writeAudit, type Actor } from './audit.js';
import type { Executor } from './executor.js';
import type { TenantDb } from './tenant.js';

export interface NewApiKey {
  /** The whole key, shown to the user exactly once. */
  secret: string;
  /** `vgl_<8 chars>`: stored and shown in lists. */
  prefix: string;
  /** sha256 hex of the secret: the only form stored. */
  hash: string;
}

const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Splits a presented key into its parts, or null when it is not shaped like a Vigil key. */
export function parseApiKey(secret: string): { prefix: string } | null {
  const m = API_KEY_PATTERN.exec(secret);
  return m ? { prefix: `vgl_${m[1]}` } : null;
}

export function generateApiKey(): NewApiKey {
  const bytes = randomBytes(8);
  let id = '';
  for (const b of bytes) id += PREFIX_ALPHABET[b % PREFIX_ALPHABET.length];
  const secret = `vgl_${id}_${randomBytes(24).toString('base64url')}`;
  return { secret, prefix: `vgl_${id}`, hash: hashApiKey(secret) };
}

/** Registers a caller-supplied secret (headless initialisation): validates its shape first. */
export function apiKeyFromSecret(secret: string): NewApiKey {
  const parsed = parseApiKey(secret);
  if (!parsed) {
    throw new Error('API key must look like vgl_<8 lowercase letters or digits>_<24–128 characters of A–Z a–z 0–9 _ ->');
  }
  return { secret, prefix: parsed.prefix, hash: hashApiKey(secret) };
}

export const DEFAULT_KEY_SCOPES: ApiKeyScope[] = ['ingest', 'read'];

export interface ApiKeyRecord {
  id: string;
  organizationId: string;
  projectId: string;
  scopes: ApiKeyScope[];
  revoked: boolean;
}

/** Looks a presented key up by the hash of its secret (the one cross-tenant read of the ingest path). */
export async function findApiKeyByHash(q: Executor, hash: string): Promise<ApiKeyRecord | null> {
  const r = await q.query<{ id: string; organization_id: string; project_id: string; scopes: ApiKeyScope[]; revoked: boolean }>({
    name: 'vigil_find_api_key',
    text: 'SELECT id, organization_id, project_id, scopes, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE hash = $1',
    values: [hash],
  });
  const row = r.rows[0];
  return row
    ? { id: row.id, organizationId: row.organization_id, projectId: row.project_id, scopes: row.scopes, revoked: row.revoked }
    : null;
}

export async function touchApiKey(q: Executor, id: string, at: Date): Promise<void> {
  await q.query({ name: 'vigil_touch_api_key', text: 'UPDATE api_keys SET last_used_at = $2 WHERE id = $1', values: [id, at] });
}

/** Keys of a project by prefix, revoked ones last; secrets are never stored, so never listed. */
export async function listApiKeys(t: TenantDb, projectId: string) {
  const keys = await t.apiKey.findMany({
    where: { projectId },
    orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
    select: { id: true, name: true, prefix: true, scopes: true, lastUsedAt: true, revokedAt: true, createdAt: true, createdById: true },
  });
  const creatorIds = [...new Set(keys.map((k) => k.createdById).filter((id): id is string => id !== null))];
  const creators = await t.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true } });
  const nameOf = new Map(creators.map((u) => [u.id, u.name]));
  return keys.map(({ createdById, ...k }) => ({ ...k, scopes: k.scopes as ApiKeyScope[], createdBy: createdById ? (nameOf.get(createdById) ?? null) : null }));
}

/** Creates a key for a project; the result carries the secret, which is shown once and never again. */
export async function createApiKey(t: TenantDb, actor: Actor, projectId: string, input: { name: string; scopes: ApiKeyScope[] }) {
  const key = generateApiKey();
  const created = await t.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: { organizationId: actor.organizationId, projectId, name: input.name, prefix: key.prefix, hash: key.hash, scopes: input.scopes, createdById: actor.userId ?? null },
    });
    await writeAudit(tx, actor, {
      action: AuditAction.apiKeyCreated,
      targetType: 'api_key',
      targetId: row.id,
      details: { projectId, name: row.name, prefix: row.prefix, scopes: row.scopes },
    });
    return row;
  });
  return { id: created.id, name: created.name, prefix: created.prefix, scopes: created.scopes as ApiKeyScope[], secret: key.secret };
}

/** Revokes a project's key: it stops working at once (API processes cache lookups briefly). */
export async function revokeApiKey(t: TenantDb, actor: Actor, projectId: string, apiKeyId: string): Promise<{ id: string; revokedAt: Date | null }> {
  return t.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: apiKeyId, projectId } });
    if (!key) throw new VigilError('NOT_FOUND', 'API key not found');
    if (key.revokedAt) throw new VigilError('CONFLICT', 'this key is already revoked');
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    await writeAudit(tx, actor, { action: AuditAction.apiKeyRevoked, targetType: 'api_key', targetId: key.id, details: { projectId, prefix: key.prefix } });
    return { id: revoked.id, revokedAt: revoked.revokedAt };
  });
}

/**
 * The workspace role, today, of whoever created the key (null: created headlessly without a
 * user, or its creator has left the workspace). Workspace-wide actions over REST require the
 * key's creator to be an owner or admin still.
 */
export async function apiKeyCreatorRole(t: TenantDb, apiKeyId: string): Promise<string | null> {
  const key = await t.apiKey.findFirst({ where: { id: apiKeyId }, select: { createdById: true } });
  if (!key?.createdById) return null;
  const membership = await t.membership.findFirst({ where: { userId: key.createdById }, select: { role: true } });
  return membership?.role ?? null;
}
