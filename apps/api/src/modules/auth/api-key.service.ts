import { Inject, Injectable } from '@nestjs/common';
import { VigilError } from '@vigil/contracts';
import { findApiKeyByHash, hashApiKey, parseApiKey, touchApiKey, type ApiKeyRecord, type Db } from '@vigil/db';
import type { Logger } from 'pino';
import { withStorage } from '../../common/storage.js';
import type { ApiEnv } from '../../env.js';
import { DB, ENV, LOGGER } from '../../infra/tokens.js';
import type { Principal } from './principal.js';

interface CacheEntry {
  record: ApiKeyRecord | null;
  expiresAt: number;
}

const MAX_CACHED_KEYS = 50_000;
/** `lastUsedAt` is written at most this often per key. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves `Authorization: Bearer vgl_…` to a principal. Lookups by sha256 of the secret are
 * cached briefly — found and not found alike — so a hot key costs no query per request while a
 * revocation (or a new key) takes effect within the cache TTL.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<ApiKeyRecord | null>>();
  private readonly touchedAt = new Map<string, number>();

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(ENV) private readonly env: ApiEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!secret) throw new VigilError('UNAUTHENTICATED', 'missing API key: send "Authorization: Bearer vgl_…"');
    if (!parseApiKey(secret)) throw new VigilError('UNAUTHENTICATED', 'API key is malformed');
    const record = await this.lookup(hashApiKey(secret));
    if (!record) throw new VigilError('UNAUTHENTICATED', 'API key is unknown');
    if (record.revoked) throw new VigilError('UNAUTHENTICATED', 'API key has been revoked');
    return this.principal(record);
  }

  /**
   * The principal of a valid key this process has looked up within the cache TTL, else null;
   * never queries Postgres (a client address over its failure budget gets only this).
   */
  authenticateCached(authorization: string | undefined): Principal | null {
    const secret = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!secret || !parseApiKey(secret)) return null;
    const hit = this.cache.get(hashApiKey(secret));
    if (!hit || hit.expiresAt <= Date.now() || !hit.record || hit.record.revoked) return null;
    return this.principal(hit.record);
  }

  private principal(record: ApiKeyRecord): Principal {
    this.touch(record.id);
    return { apiKeyId: record.id, organizationId: record.organizationId, projectId: record.projectId, scopes: record.scopes };
  }

  /** Forgets every cached lookup (tests; an admin action that must apply at once). */
  clearCache(): void {
    this.cache.clear();
  }

  private async lookup(hash: string): Promise<ApiKeyRecord | null> {
    const now = Date.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expiresAt > now) return hit.record;
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = withStorage(this.env.RETRY_AFTER_SECONDS, () => findApiKeyByHash(this.db.pool, hash)).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    const record = await pending;
    if (this.cache.size >= MAX_CACHED_KEYS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { record, expiresAt: Date.now() + this.env.API_KEY_CACHE_TTL_MS });
    return record;
  }

  private touch(id: string): void {
    const now = Date.now();
    if ((this.touchedAt.get(id) ?? 0) + TOUCH_INTERVAL_MS > now) return;
    this.touchedAt.set(id, now);
    if (this.touchedAt.size > MAX_CACHED_KEYS) this.touchedAt.delete(this.touchedAt.keys().next().value!);
    touchApiKey(this.db.pool, id, new Date(now)).catch((err: Error) => this.logger.warn({ err: err.message }, 'could not record API key use'));
  }
}
