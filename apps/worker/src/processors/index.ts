import { QueueName } from '@vigil/contracts';
import type { ProcessorRegistry } from '../context.js';
import { alertEvaluation } from './alert-evaluation.processor.js';
import { ingestWindow } from './ingest-window.processor.js';
import { maintenance } from './maintenance.processor.js';
import { notificationDelivery } from './notification-delivery.processor.js';
import { referenceProfile } from './reference-profile.processor.js';
import { windowRecompute } from './window-recompute.processor.js';

export { requestAlertEvaluation } from './follow-ups.js';
export type { ProcessorRegistry } from '../context.js';

/**
 * One thin processor per queue: the host re-validates the payload (never trusting what is in
 * Redis), then the processor calls feature code in src/jobs. Queues without a processor here
 * are not consumed.
 */
export const processors: ProcessorRegistry = {
  [QueueName.ingestWindow]: ingestWindow,
  [QueueName.windowRecompute]: windowRecompute,
  [QueueName.referenceProfile]: referenceProfile,
  [QueueName.alertEvaluation]: alertEvaluation,
  [QueueName.notificationDelivery]: notificationDelivery,
  [QueueName.maintenance]: maintenance,
};
