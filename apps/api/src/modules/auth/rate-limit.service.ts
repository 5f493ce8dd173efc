import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { VigilError } from '@vigil/contracts';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiEnv } from '../../env.js';
import { ENV, LOGGER } from '../../infra/tokens.js';

/*
 * Token bucket per project, refilled continuously at `rate` tokens/s up to `burst`. Runs
 * atomically in Redis (so every API process shares one bucket per project) on Redis' own
 * clock. Takes up to ARGV[3] tokens; returns {tokens taken, ms until one token is available}.
 */
const TOKEN_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local taken = math.min(want, math.floor(tokens))
local wait = 0
if taken >= 1 then
  tokens = tokens - taken
else
  taken = 0
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {taken, wait}
`;

type BucketRedis = Redis & { vigilTokenBucket(key: string, rate: number, burst: number, want: number): Promise<[number, number]> };

/** Tokens a process took from a project's bucket and may spend without asking Redis, until `expiresAt`. */
interface Lease {
  tokens: number;
  expiresAt: number;
}

/** How long unspent leased tokens stay valid: at most one lease per process and second goes unused. */
const LEASE_MS = 1_000;

/**
 * Per-project request rate limit. Each project has its own bucket, so one noisy tenant is
 * throttled without touching the others. A process takes tokens from Redis in small leases
 * (1/50 of the per-second rate) and spends them locally, so a busy project costs one Redis call
 * per lease instead of per request. When Redis cannot answer within a short timeout the
 * request is let through: ingestion must not stop because the limiter is unavailable.
 */
@Injectable()
export class RateLimitService implements OnApplicationShutdown {
  private readonly redis: BucketRedis;
  private readonly leases = new Map<string, Lease>();
  /** Lease requests in flight, so concurrent requests of one project share one Redis call. */
  private readonly leasing = new Map<string, Promise<[number, number] | null>>();
  private readonly leaseSize: number;
  private lastWarning = 0;
  /** Client addresses that used up their failed-authentication budget, and until when (this process' view). */
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @Inject(ENV) private readonly env: ApiEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const redis = new Redis(env.REDIS_URL, {
      connectionName: 'vigil-api-ratelimit',
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: env.RATE_LIMIT_TIMEOUT_MS,
      lazyConnect: false,
    });
    redis.on('error', () => {});
    redis.defineCommand('vigilTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET });
    this.redis = redis as BucketRedis;
    this.leaseSize = Math.max(1, Math.min(100, Math.floor(env.RATE_LIMIT_PER_SECOND / 50)));
  }

  async charge(projectId: string): Promise<void> {
    if (this.env.RATE_LIMIT_PER_SECOND === 0) return;
    for (;;) {
      const lease = this.leases.get(projectId);
      if (lease && lease.tokens > 0 && lease.expiresAt > Date.now()) {
        lease.tokens--;
        return;
      }
      let pending = this.leasing.get(projectId);
      const mine = !pending;
      if (!pending) {
        pending = this.lease(projectId);
        this.leasing.set(projectId, pending);
      }
      const result = await pending;
      if (mine) this.leasing.delete(projectId);
      if (result === null) return; // Redis unavailable: let the request through
      const [taken, waitMs] = result;
      if (mine) {
        if (taken === 0) {
          this.leases.delete(projectId);
          throw this.limited(waitMs);
        }
        if (this.leases.size > 10_000) this.leases.clear();
        this.leases.set(projectId, { tokens: taken - 1, expiresAt: Date.now() + LEASE_MS });
        return;
      }
      // Another request fetched the lease: take a token from it, or fail as it did.
      if (taken === 0) throw this.limited(waitMs);
    }
  }

  /**
   * Milliseconds until `address` may fail to authenticate again, as last learnt by this process
   * (0: not blocked). Costs no Redis call, so a blocked address is refused for free.
   */
  authFailureBlockMs(address: string): number {
    const until = this.blockedUntil.get(address);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) this.blockedUntil.delete(address);
    return Math.max(0, left);
  }

  /**
   * Records a failed authentication of `address` in its Redis bucket (shared by every API
   * process); returns the wait in ms when the budget is used up (0: answer 401 as usual).
   * When Redis cannot answer, failures are not limited.
   */
  async chargeAuthFailure(address: string): Promise<number> {
    const perMinute = this.env.AUTH_FAILURES_PER_MINUTE;
    if (perMinute === 0) return 0;
    let result: [number, number];
    try {
      result = await this.redis.vigilTokenBucket(`vigil:authfail:{${address}}`, perMinute / 60, this.env.AUTH_FAILURE_BURST, 1);
    } catch (err) {
      this.warnUnavailable(err);
      return 0;
    }
    const [taken, waitMs] = result;
    if (taken >= 1) return 0;
    if (this.blockedUntil.size > 10_000) this.blockedUntil.clear();
    this.blockedUntil.set(address, Date.now() + waitMs);
    return Math.max(1, waitMs);
  }

  private warnUnavailable(err: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning > 10_000) {
      this.lastWarning = now;
      this.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable; letting requests through');
    }
  }

  private async lease(projectId: string): Promise<[number, number] | null> {
    try {
      return await this.redis.vigilTokenBucket(`vigil:rl:{${projectId}}`, this.env.RATE_LIMIT_PER_SECOND, this.env.RATE_LIMIT_BURST, this.leaseSize);
    } catch (err) {
      this.warnUnavailable(err);
      return null;
    }
  }

  private limited(waitMs: number): VigilError {
    return new VigilError('RATE_LIMITED', 'rate limit of this project exceeded; retry later', {
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      limitPerSecond: this.env.RATE_LIMIT_PER_SECOND,
      burst: this.env.RATE_LIMIT_BURST,
    });
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
