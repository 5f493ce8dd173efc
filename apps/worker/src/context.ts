import { QueuePayloadSchemas, type QueueName, type QueuePayload } from '@vigil/contracts';
import type { Db } from '@vigil/db';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { WorkerEnv } from './env.js';

/*
 * What a processor receives besides its payload, and the registry the host runs. The host
 * knows no processor: main.ts hands it the map in processors/index.ts.
 */

export interface EnqueueOptions {
  /** Milliseconds before the job may run. */
  delay?: number;
  /** Overrides the first retry wait of the queue's backoff. */
  backoffDelay?: number;
}

export interface ProcessorContext {
  db: Db;
  env: WorkerEnv;
  logger: Logger;
  /** The worker's Redis connection, for state shared by every worker process (keys under `keyPrefix`). */
  redis: Redis;
  /** The BullMQ key prefix (QUEUE_PREFIX, or a test's own). */
  keyPrefix: string;
  /** Enqueues follow-up jobs (same connection and prefix as the worker); `jobId` comes from `JobId`. */
  enqueue: <Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, jobId: string, opts?: EnqueueOptions) => Promise<void>;
}

export type Processor<Q extends QueueName> = (payload: QueuePayload<Q>, job: Job, ctx: ProcessorContext) => Promise<unknown>;

/** Queues without a processor are not consumed by the process. */
export type ProcessorRegistry = { [Q in QueueName]?: Processor<Q> };

/** Re-validates a job's payload: what is in Redis is never trusted. Throws a ZodError when it does not match. */
export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return QueuePayloadSchemas[queue].parse(data) as QueuePayload<Q>;
}
