import { DefaultJobOptions, QueueName, QueuePayloadSchemas, type QueuePayload } from '@vigil/contracts';
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Producers for every queue declared in contracts, created from the one map rather than a
 * class per queue. Payloads are validated before they are enqueued.
 */
export class Queues {
  private readonly queues = new Map<QueueName, Queue>();
  constructor(
    private readonly connection: Redis,
    private readonly prefix?: string,
  ) {}

  get(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: DefaultJobOptions[name] });
      // The shared connection's errors are logged once by its own listener; without one here,
      // BullMQ prints each of them again as a raw stack trace.
      q.on('error', () => {});
      this.queues.set(name, q);
    }
    return q;
  }

  async add<Q extends QueueName>(name: Q, payload: QueuePayload<Q>, opts: JobsOptions = {}): Promise<void> {
    const data = QueuePayloadSchemas[name].parse(payload);
    await this.get(name).add(name, data, opts);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
  }

  static readonly names = Object.values(QueueName);
}
