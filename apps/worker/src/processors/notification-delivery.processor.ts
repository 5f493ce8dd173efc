import type { QueueName } from '@vigil/contracts';
import { SecretBox } from '@vigil/db';
import type { Processor, ProcessorContext } from '../context.js';
import { secretKeyOf } from '../env.js';
import { deliver, type DeliverySettings } from '../jobs/alerts/deliver.js';

/** Sends one notification; the queue retries it with backoff until its last attempt. */
export const notificationDelivery: Processor<typeof QueueName.notificationDelivery> = (payload, job, ctx) => {
  const attempts = job.opts.attempts ?? 1;
  return deliver(ctx.db, deliverySettings(ctx), payload.organizationId, payload.deliveryId, {
    number: job.attemptsMade + 1,
    final: job.attemptsMade + 1 >= attempts,
  });
};

/** One SecretBox per key: deriving it costs an HKDF per construction. */
const boxes = new Map<string, SecretBox>();

function deliverySettings(ctx: ProcessorContext): DeliverySettings {
  const key = secretKeyOf(ctx.env);
  let box = boxes.get(key);
  if (!box) boxes.set(key, (box = new SecretBox(key)));
  return { box, webUrl: ctx.env.WEB_URL, smtpUrl: ctx.env.SMTP_URL, smtpFrom: ctx.env.SMTP_FROM, pagerDutyEventsUrl: ctx.env.PAGERDUTY_EVENTS_URL, receivers: ctx.env.VIGIL_NOTIFICATION_ALLOW_HOSTS };
}
