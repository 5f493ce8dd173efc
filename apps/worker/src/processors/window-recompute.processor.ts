import type { QueueName } from '@vigil/contracts';
import type { Processor } from '../context.js';
import { recomputeWindow } from '../jobs/windows/recompute-window.js';
import { alertsAfterMetrics } from './follow-ups.js';

/** Recomputes an hour or day window exactly from its stored events. */
export const windowRecompute: Processor<typeof QueueName.windowRecompute> = async (payload, _job, ctx) => {
  const result = await recomputeWindow(ctx.db, payload);
  if (result.metricPoints > 0) await alertsAfterMetrics(ctx, payload.organizationId);
  return result;
};
