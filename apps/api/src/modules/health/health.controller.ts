import { Controller, Get, Inject, Res } from '@nestjs/common';
import { pingDatabase, type Db } from '@vigil/db';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DB, LOGGER, REDIS } from '../../infra/tokens.js';

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthController {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Liveness: the process is up and serving. */
  @Get('healthz')
  healthz() {
    return { status: 'ok' };
  }

  /**
   * Readiness: Postgres and Redis both answer; 503 names the one that does not. The endpoint is
   * unauthenticated, so it answers only `ok` or `failed` per dependency: driver errors name
   * internal hosts and ports, and they go to the log instead.
   */
  @Get('readyz')
  async readyz(@Res() reply: FastifyReply) {
    const [postgres, redis] = await Promise.allSettled([
      pingDatabase(this.db.pool, 2_000),
      withTimeout(this.redis.ping(), 2_000),
    ]);
    const verdict = (name: string, r: PromiseSettledResult<unknown>): 'ok' | 'failed' => {
      if (r.status === 'fulfilled') return 'ok';
      this.logger.warn({ dependency: name, err: r.reason as Error }, 'readiness check failed');
      return 'failed';
    };
    const checks = { postgres: verdict('postgres', postgres), redis: verdict('redis', redis) };
    const ready = checks.postgres === 'ok' && checks.redis === 'ok';
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  }
}
