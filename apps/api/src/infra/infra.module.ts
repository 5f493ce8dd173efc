import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createDb, type Db } from '@vigil/db';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiEnv } from '../env.js';
import { Queues } from './queues.js';
import { DB, ENV, LOGGER, QUEUES, REDIS } from './tokens.js';

export interface InfraOptions {
  env: ApiEnv;
  logger: Logger;
}

export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    // BullMQ needs unlimited retries per request on blocking connections; commands wait for a
    // reconnect instead of failing while Redis restarts.
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}

@Global()
@Module({})
export class InfraModule implements OnApplicationShutdown {
  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(QUEUES) private readonly queues: Queues,
  ) {}

  static forRoot({ env, logger }: InfraOptions) {
    const db = createDb({ url: env.DATABASE_URL, max: env.DB_POOL_MAX, applicationName: 'vigil-api' });
    const redis = createRedis(env.REDIS_URL, 'vigil-api');
    redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
    const queues = new Queues(redis, env.QUEUE_PREFIX);
    return {
      module: InfraModule,
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: DB, useValue: db },
        { provide: REDIS, useValue: redis },
        { provide: QUEUES, useValue: queues },
      ],
      exports: [ENV, LOGGER, DB, REDIS, QUEUES],
    };
  }

  async onApplicationShutdown() {
    await this.queues.close();
    await this.db.close();
    this.redis.disconnect();
  }
}
