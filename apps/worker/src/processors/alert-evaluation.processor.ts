import { JobId, QueueName } from '@vigil/contracts';
import type { Processor } from '../context.js';
import { evaluateAlerts } from '../jobs/alerts/evaluate-alerts.js';
import { enqueueDelivery } from './follow-ups.js';

/** Evaluates a workspace's rules, then sends the deliveries it planned. */
export const alertEvaluation: Processor<typeof QueueName.alertEvaluation> = async (payload, _job, ctx) => {
  const now = Date.now();
  const result = await evaluateAlerts(ctx.db, payload.organizationId, { now, graceMs: ctx.env.WINDOW_GRACE_MS, webUrl: ctx.env.WEB_URL });
  for (const deliveryId of result.deliveries) await enqueueDelivery(ctx, payload.organizationId, deliveryId);
  if (result.nextDueAt !== null) {
    // A group's wait or repeat interval ends without new data: evaluate again then.
    await ctx.enqueue(QueueName.alertEvaluation, { organizationId: payload.organizationId, trigger: 'due' }, JobId.alertEvaluationDue(payload, result.nextDueAt), {
      delay: Math.max(0, result.nextDueAt - now),
    });
  }
  return { rules: result.rules, transitions: result.transitions, deliveries: result.deliveries.length };
};
