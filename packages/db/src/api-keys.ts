import { createHash, randomBytes } from 'node:crypto';
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
