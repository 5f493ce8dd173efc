import type { QueueName } from '@vigil/contracts';
import { SecretBox } from '@vigil/db';
import { DelayedError } from 'bullmq';
import type { Processor, ProcessorContext } from '../context.js';
import { secretKeyOf } from '../env.js';
import { deliver, type DeliverySettings } from '../jobs/alerts/deliver.js';
import { DeliverySlots, slotRetryDelayMs } from '../jobs/alerts/delivery-slots.js';

/**
 * Sends one notification; the queue retries it with backoff until its last attempt. A delivery
 * whose workspace already has NOTIFY_WORKSPACE_CONCURRENCY deliveries in flight steps aside: it
 * goes back to the queue as a delayed job (not an attempt), so one workspace's backlog to a slow
 * receiver never holds every worker slot.
 */
export const notificationDelivery: Processor<typeof QueueName.notificationDelivery> = async (payload, job, ctx) => {
  const slots = deliverySlots(ctx);
  const jobId = job.id ?? payload.deliveryId;
  if (!(await slots.acquire(payload.organizationId, jobId))) {
    await job.moveToDelayed(Date.now() + slotRetryDelayMs(), job.token);
    throw new DelayedError();
  }
  try {
    const attempts = job.opts.attempts ?? 1;
    return await deliver(ctx.db, deliverySettings(ctx), payload.organizationId, payload.deliveryId, {
      number: job.attemptsMade + 1,
      final: job.attemptsMade + 1 >= attempts,
    });
  } finally {
    await slots.release(payload.organizationId, jobId);
  }
};

/** One SecretBox per key: deriving it costs an HKDF per construction. */
const boxes = new Map<string, SecretBox>();

function deliverySettings(ctx: ProcessorContext): DeliverySettings {
  const key = secretKeyOf(ctx.env);
  let box = boxes.get(key);
  if (!box) boxes.set(key, (box = new SecretBox(key)));
  return { box, webUrl: ctx.env.WEB_URL, smtpUrl: ctx.env.SMTP_URL, smtpFrom: ctx.env.SMTP_FROM, pagerDutyEventsUrl: ctx.env.PAGERDUTY_EVENTS_URL, receivers: ctx.env.VIGIL_NOTIFICATION_ALLOW_HOSTS };
}

const slotsByContext = new WeakMap<ProcessorContext, DeliverySlots>();

function deliverySlots(ctx: ProcessorContext): DeliverySlots {
  let slots = slotsByContext.get(ctx);
  if (!slots) slotsByContext.set(ctx, (slots = new DeliverySlots(ctx.redis, ctx.keyPrefix, ctx.env.NOTIFY_WORKSPACE_CONCURRENCY)));
  return slots;
}
