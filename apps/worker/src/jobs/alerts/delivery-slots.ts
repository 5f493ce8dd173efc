import type { Redis } from 'ioredis';

/**
 * A cap on the deliveries one workspace has in flight, across every worker process. BullMQ's
 * open-source queue is one FIFO: without a cap, a workspace with a backlog to a receiver that
 * hangs fills every worker slot for up to the send timeout, and every other workspace's alerts
 * wait behind it. With the cap, a workspace's extra deliveries step aside (the processor puts
 * them back as delayed jobs, without spending an attempt) and the free slots serve the others.
 *
 * Each slot is a lease (a sorted-set member scored by its expiry), so a worker that dies while
 * holding one frees it when the lease runs out instead of leaking it.
 */

// KEYS[1] the workspace's slot set; ARGV: now, lease expiry, cap, job id, key TTL (ms).
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
`;

/** Longer than one delivery can take (a 10 s HTTP timeout, an SMTP exchange, the database writes). */
export const SLOT_LEASE_MS = 120_000;

export class DeliverySlots {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    /** Deliveries of one workspace in flight at once. */
    readonly perWorkspace: number,
  ) {}

  private key(organizationId: string): string {
    return `${this.keyPrefix}:vigil:delivery-slots:${organizationId}`;
  }

  /** Takes one of the workspace's slots for `jobId`; false when all are taken. */
  async acquire(organizationId: string, jobId: string, now = Date.now()): Promise<boolean> {
    const got = await this.redis.eval(ACQUIRE, 1, this.key(organizationId), now, now + SLOT_LEASE_MS, this.perWorkspace, jobId, SLOT_LEASE_MS);
    return got === 1;
  }

  async release(organizationId: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.key(organizationId), jobId);
  }
}

/** How long a delivery that found its workspace's slots taken waits before it tries again (with jitter, so they do not return together). */
export function slotRetryDelayMs(random = Math.random()): number {
  return 500 + Math.floor(random * 1_000);
}
