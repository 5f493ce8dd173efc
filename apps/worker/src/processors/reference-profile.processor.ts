import type { QueueName } from '@vigil/contracts';
import type { Processor } from '../context.js';
import { resourceLimitsOf } from '@vigil/db';
import { buildReferenceProfile } from '@vigil/services';
import { forgetModelContext } from '../jobs/model-context.js';
import { rescoreRecentWindows } from '../jobs/reference/rescore.js';

/** Builds a reference dataset's profile; windows already profiled are re-scored against it. */
export const referenceProfile: Processor<typeof QueueName.referenceProfile> = async (payload, _job, ctx) => {
  const result = await buildReferenceProfile(ctx.db, payload, Date.now(), resourceLimitsOf(ctx.env));
  forgetModelContext(payload.modelId);
  await rescoreRecentWindows(ctx.db, payload.organizationId, payload.modelId);
  return result;
};
