import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/*
 * Secrets at rest (notification channel URLs with tokens, routing keys, signing secrets):
 * AES-256-GCM with a key derived (HKDF-SHA256) from VIGIL_SECRET_KEY. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a later key scheme can be told apart.
 */

const VERSION = 'v1';

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

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws when the text was not sealed with this key (or was altered). */
  open<T = unknown>(sealed: string): T {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as T;
  }
}
