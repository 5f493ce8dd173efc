import type { QueueName } from '@vigil/contracts';
import type { Processor } from '../context.js';
import { streamModelVersion } from '../jobs/streaming/stream-events.js';
import { alertsAfterMetrics } from './follow-ups.js';

/** Merges a model version's new events into its profiles and rolling metrics. */
export const ingestWindow: Processor<typeof QueueName.ingestWindow> = async (payload, _job, ctx) => {
  const result = await streamModelVersion(ctx.db, payload);
  if (result.metricPoints > 0) await alertsAfterMetrics(ctx, payload.organizationId);
  return result;
};
