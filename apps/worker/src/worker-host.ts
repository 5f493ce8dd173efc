import { CAPPED_BACKOFF_MAX_MS, QueueName, DefaultJobOptions, QueuePayloadSchemas, type QueuePayload } from '@vigil/contracts';
import { Queue, UnrecoverableError, Worker, type Job, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { SCHEDULES, type ScheduleId } from './schedules.js';
import { parsePayload, type EnqueueOptions, type ProcessorContext, type ProcessorRegistry } from './context.js';

export interface WorkerHostOptions {
  connection: Redis;
  registry: ProcessorRegistry;
  context: Omit<ProcessorContext, 'enqueue' | 'redis' | 'keyPrefix'>;
  concurrency: number;
  /** BullMQ key prefix; tests use a unique one for isolation. */
  prefix?: string;
  shutdownGraceMs: number;
  /** Ids of the schedules to run (default: all). */
  schedules?: readonly ScheduleId[];
  /** Told of every finished job attempt (the metrics' job durations). */
  onJobDone?: (queue: QueueName, outcome: 'completed' | 'failed', seconds: number) => void;
}

/** How long an attempt ran, from BullMQ's timestamps (0 when one is missing). */
const attemptSeconds = (job: Job | undefined) => (job?.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : 0);

/**
 * The `capped` backoff: exponential from the job's backoff delay, each wait at most
 * CAPPED_BACKOFF_MAX_MS. BullMQ calls this for backoff types it does not know itself.
 */
export function cappedBackoff(attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob): number {
  const opts = job?.opts.backoff;
  const base = typeof opts === 'object' && opts.delay !== undefined ? opts.delay : 1_000;
  if (type !== 'capped') return base;
  return Math.min(CAPPED_BACKOFF_MAX_MS, base * 2 ** Math.max(0, attemptsMade - 1));
}

/**
 * Runs one BullMQ Worker per queue that has a processor. Any number of these processes may run;
 * jobs carry deterministic ids so a window's work is never done twice at once.
 */
export class WorkerHost {
  private readonly workers: Worker[] = [];
  private readonly producers = new Map<QueueName, Queue>();
  private closing: Promise<void> | undefined;

  constructor(private readonly opts: WorkerHostOptions) {}

  private producer(name: QueueName): Queue {
    let q = this.producers.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.opts.connection, prefix: this.opts.prefix, defaultJobOptions: DefaultJobOptions[name] });
      // The shared connection's errors are logged once by its own listener; without one here,
      // BullMQ prints each of them again as a raw stack trace.
      q.on('error', () => {});
      this.producers.set(name, q);
    }
    return q;
  }

  async start(): Promise<void> {
    const { connection, registry, concurrency, prefix } = this.opts;
    const context: ProcessorContext = {
      ...this.opts.context,
      redis: connection,
      keyPrefix: prefix ?? 'bull',
      enqueue: async <Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, jobId: string, opts: EnqueueOptions = {}) => {
        const defaults = DefaultJobOptions[queue];
        await this.producer(queue).add(queue, QueuePayloadSchemas[queue].parse(payload), {
          jobId,
          ...(opts.delay !== undefined ? { delay: opts.delay } : {}),
          ...(opts.backoffDelay !== undefined ? { backoff: { ...defaults.backoff, delay: opts.backoffDelay } } : {}),
        });
      },
    };
    for (const queue of Object.values(QueueName)) {
      const processor = registry[queue];
      if (!processor) continue;
      const worker = new Worker(
        queue,
        async (job: Job) => {
          let payload;
          try {
            payload = parsePayload(queue, job.data);
          } catch (err) {
            // A payload that does not match its schema will never succeed: fail it for operators.
            if (err instanceof ZodError) throw new UnrecoverableError(`invalid payload: ${err.message}`);
            throw err;
          }
          return (processor as (p: unknown, j: Job, c: ProcessorContext) => Promise<unknown>)(payload, job, context);
        },
        { connection, concurrency, prefix, autorun: true, settings: { backoffStrategy: cappedBackoff } },
      );
      worker.on('failed', (job, err) => {
        this.opts.onJobDone?.(queue, 'failed', attemptSeconds(job));
        context.logger.warn({ queue, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed');
      });
      worker.on('completed', (job) => this.opts.onJobDone?.(queue, 'completed', attemptSeconds(job)));
      worker.on('error', (err) => context.logger.error({ queue, err: err.message }, 'worker error'));
      this.workers.push(worker);
    }
    if (registry[QueueName.maintenance]) {
      await this.registerSchedules();
      // Schedules live in Redis: a Redis that restarts without persistence forgets them (and
      // every queued job), and only the streaming sweep would find the events whose jobs were
      // lost. Register them again whenever the connection comes back.
      connection.on('ready', this.onReconnect);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  private readonly onReconnect = () => {
    if (this.closing) return;
    this.registerSchedules().catch((err: Error) => this.opts.context.logger.warn({ err: err.message }, 'could not register schedules'));
  };

  private async registerSchedules(): Promise<void> {
    const { connection, prefix } = this.opts;
    const q = new Queue(QueueName.maintenance, { connection, prefix });
    q.on('error', () => {}); // reported by the connection's listener (see producer)
    try {
      const wanted = new Set<string>(this.opts.schedules ?? SCHEDULES.map((s) => s.id));
      for (const s of SCHEDULES.filter((s) => wanted.has(s.id))) {
        await q.upsertJobScheduler(s.id, { every: s.every }, {
          name: s.id,
          data: s.data,
          opts: DefaultJobOptions[QueueName.maintenance],
        });
      }
    } finally {
      await q.close();
    }
  }

  get queueCount(): number {
    return this.workers.length;
  }

  /**
   * Stops taking jobs, waits up to the grace period for in-flight ones to finish, then closes
   * forcefully: unfinished jobs keep their lock until it expires and another worker takes them
   * (BullMQ's stalled-job recovery), so nothing is lost.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.opts.connection.off('ready', this.onReconnect);
      const graceful = Promise.all(this.workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(true), this.opts.shutdownGraceMs);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) await Promise.all(this.workers.map((w) => w.close(true)));
      await Promise.allSettled([...this.producers.values()].map((q) => q.close()));
    })();
    return this.closing;
  }
}
