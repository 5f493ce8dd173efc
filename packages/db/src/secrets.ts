import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (notification channel URLs with tokens, routing keys, signing secrets):
 * AES-256-GCM with a key derived (HKDF-SHA256) from VIGIL_SECRET_KEY. The stored form is
 * `v2.<iv>.<tag>.<ciphertext>` (base64url), sealed with associated data that names what the
 * secret belongs to (purpose and row): a sealed value copied into another row — another
 * channel, another workspace — no longer opens there. `v1.…` values (no associated data) were
 * written before; they still open, and are re-sealed as v2 (`sealedWithoutContext`).
 */

const VERSION = 'v2';
const LEGACY_VERSION = 'v1';

/**
 * The key development and test installs use when VIGIL_SECRET_KEY is not set, the same in
 * every process so web, api and worker can open each other's secrets. It is public (it is in
 * this file), so the api and the worker use it only when development or test is chosen
 * explicitly (NODE_ENV=development or test): unset NODE_ENV without VIGIL_SECRET_KEY refuses to
 * start (`missingSecretKey`).
 */
export const DEVELOPMENT_SECRET_KEY = 'vigil-development-secret-key-not-for-production';

/** What an app's env says when VIGIL_SECRET_KEY is missing and development was not chosen. */
export function missingSecretKey(nodeEnv: string | undefined, sharedWith: string): string {
  const same = `at least 32 characters, the same key as ${sharedWith}`;
  if (nodeEnv === 'production') return `is required in production (${same})`;
  return `is required (${same}); for a local development install set NODE_ENV=development instead, which uses a public development key`;
}
const INFO = 'vigil notification channel secrets';

export class SecretBox {
  private readonly key: Buffer;

  /** `secretKey`: at least 32 characters of VIGIL_SECRET_KEY (validated by each app's env). */
  constructor(secretKey: string) {
    if (secretKey.length < 32) throw new Error('VIGIL_SECRET_KEY must be at least 32 characters');
    this.key = Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), INFO, 32));
  }

  /**
   * Seals `value` for `context` (associated data, e.g. `notification_channels:<org>:<id>`): it
   * opens only with the same context.
   */
  seal(value: unknown, context: string): string {
    if (!context) throw new Error('a sealed secret needs a context (what it belongs to)');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /**
   * Opens a value sealed for `context`, or a legacy v1 value (sealed without one). Throws when
   * the text was not sealed with this key, was altered, or belongs to another context.
   */
  open<T = unknown>(sealed: string, context: string): T {
    const [version, iv, tag, body] = sealed.split('.');
    if ((version !== VERSION && version !== LEGACY_VERSION) || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    if (version === VERSION) decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    let text: string;
    try {
      text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the sealed secret does not open here: another key, altered, or sealed for another row');
    }
    return JSON.parse(text) as T;
  }
}

/** A legacy seal (v1, without associated data) that should be sealed again as v2. */
export function sealedWithoutContext(sealed: string): boolean {
  return sealed.startsWith(`${LEGACY_VERSION}.`);
}
