import { JobId, QueueName } from '@vigil/contracts';
import type { ProcessorContext } from '../context.js';

/*
 * Jobs that processors enqueue after their work, with the ids and options that fold repeats
 * together. Shared by several processors.
 */

/**
 * Asks for an evaluation of the workspace's alerts shortly; requests within the same 5-second
 * bucket fold into one job.
 */
export async function requestAlertEvaluation(ctx: Pick<ProcessorContext, 'enqueue'>, organizationId: string, trigger: 'metrics-written' | 'schedule', now = Date.now()): Promise<void> {
  await ctx.enqueue(QueueName.alertEvaluation, { organizationId, trigger }, JobId.alertEvaluation({ organizationId }, now), { delay: trigger === 'schedule' ? 0 : 2_000 });
}

/** After metric points were written: evaluate the workspace's alerts shortly. */
export async function alertsAfterMetrics(ctx: ProcessorContext, organizationId: string): Promise<void> {
  try {
    await requestAlertEvaluation(ctx, organizationId, 'metrics-written');
  } catch (err) {
    // The alert sweep evaluates every workspace each minute anyway.
    ctx.logger.warn({ err: (err as Error).message, organizationId }, 'could not enqueue an alert evaluation');
  }
}

/** Sends a planned delivery; its retries start at NOTIFY_RETRY_BASE_MS. */
export function enqueueDelivery(ctx: ProcessorContext, organizationId: string, deliveryId: string): Promise<void> {
  return ctx.enqueue(QueueName.notificationDelivery, { organizationId, deliveryId }, JobId.notificationDelivery({ deliveryId }), {
    backoffDelay: ctx.env.NOTIFY_RETRY_BASE_MS,
  });
}
