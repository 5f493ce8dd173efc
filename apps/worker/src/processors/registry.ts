import { QueueName, QueuePayloadSchemas, type QueuePayload } from '@vigil/contracts';
import type { Db } from '@vigil/db';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkerEnv } from '../env.js';
import { createPartitions } from '../jobs/maintenance/partitions.js';

export interface ProcessorContext {
  db: Db;
  env: WorkerEnv;
  logger: Logger;
}

export type Processor<Q extends QueueName> = (payload: QueuePayload<Q>, job: Job, ctx: ProcessorContext) => Promise<unknown>;

export type ProcessorRegistry = { [Q in QueueName]?: Processor<Q> };

/**
 * Thin processors: re-validate the payload (never trust what is in Redis), then call feature
 * code in src/jobs. Queues without a processor here are not consumed by this process.
 */
export const processors: ProcessorRegistry = {
  [QueueName.maintenance]: async (payload, _job, ctx) => {
    switch (payload.task) {
      case 'create-partitions':
        return { created: await createPartitions(ctx.db, Date.now(), ctx.env.PARTITIONS_AHEAD_DAYS) };
      default:
        // Tasks of later pipeline stages are registered by their features; an unknown task is a
        // poison job, so fail it instead of retrying forever.
        throw new Error(`maintenance task ${payload.task} is not handled by this worker`);
    }
  },
};

export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return QueuePayloadSchemas[queue].parse(data) as QueuePayload<Q>;
}
