import { Controller, Get, Inject, Res } from '@nestjs/common';
import { checkReadiness, type Db } from '@vigil/db';
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DB, LOGGER, REDIS } from '../../infra/tokens.js';

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
    const { ready, checks } = await checkReadiness(this.db.pool, this.redis, (dependency, err) => this.logger.warn({ dependency, err }, 'readiness check failed'));
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  }
}
