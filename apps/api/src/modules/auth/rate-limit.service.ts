import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { VigilError } from '@vigil/contracts';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiEnv } from '../../env.js';
import { ENV, LOGGER } from '../../infra/tokens.js';

/*
 * Token bucket per project, refilled continuously at `rate` tokens/s up to `burst`. Runs
 * atomically in Redis (so every API process shares one bucket per project) on Redis' own
 * clock. Returns {allowed, ms until one token is available}.
 */
const TOKEN_BUCKET = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1])
local ts = tonumber(b[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return {allowed, wait}
`;

type BucketRedis = Redis & { vigilTokenBucket(key: string, rate: number, burst: number): Promise<[number, number]> };

/**
 * Per-project request rate limit. Each project has its own bucket, so one noisy tenant is
 * throttled without touching the others. When Redis cannot answer within a short timeout the
 * request is let through: ingestion must not stop because the limiter is unavailable.
 */
@Injectable()
export class RateLimitService implements OnApplicationShutdown {
  private readonly redis: BucketRedis;
  private lastWarning = 0;

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
  }

  async charge(projectId: string): Promise<void> {
    if (this.env.RATE_LIMIT_PER_SECOND === 0) return;
    let result: [number, number];
    try {
      result = await this.redis.vigilTokenBucket(`vigil:rl:{${projectId}}`, this.env.RATE_LIMIT_PER_SECOND, this.env.RATE_LIMIT_BURST);
    } catch (err) {
      const now = Date.now();
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.logger.warn({ err: (err as Error).message }, 'rate limiter unavailable; letting requests through');
      }
      return;
    }
    const [allowed, waitMs] = result;
    if (allowed !== 1) {
      throw new VigilError('RATE_LIMITED', 'rate limit of this project exceeded; retry later', {
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        limitPerSecond: this.env.RATE_LIMIT_PER_SECOND,
        burst: this.env.RATE_LIMIT_BURST,
      });
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
