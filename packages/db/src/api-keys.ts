import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { API_KEY_PATTERN, type ApiKeyScope } from '@vigil/contracts';

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
export async function findApiKeyByHash(pool: pg.Pool, hash: string): Promise<ApiKeyRecord | null> {
  const r = await pool.query<{ id: string; organization_id: string; project_id: string; scopes: ApiKeyScope[]; revoked: boolean }>({
    name: 'vigil_find_api_key',
    text: 'SELECT id, organization_id, project_id, scopes, revoked_at IS NOT NULL AS revoked FROM api_keys WHERE hash = $1',
    values: [hash],
  });
  const row = r.rows[0];
  return row
    ? { id: row.id, organizationId: row.organization_id, projectId: row.project_id, scopes: row.scopes, revoked: row.revoked }
    : null;
}

export async function touchApiKey(pool: pg.Pool, id: string, at: Date): Promise<void> {
  await pool.query({ name: 'vigil_touch_api_key', text: 'UPDATE api_keys SET last_used_at = $2 WHERE id = $1', values: [id, at] });
}
