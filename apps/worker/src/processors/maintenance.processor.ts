import { JobId, QueueName } from '@vigil/contracts';
import type { Processor } from '../context.js';
import { pendingDeliveries, workspacesWithRules } from '../jobs/alerts/sweep.js';
import { createPartitions } from '../jobs/maintenance/partitions.js';
import { applyRetention, compactProfiles, compactRollingPoints } from '../jobs/maintenance/retention.js';
import { pendingReferences } from '../jobs/reference/sweep.js';
import { findPendingVersions } from '../jobs/streaming/sweep.js';
import { findWindowsToClose } from '../jobs/windows/close-windows.js';
import { enqueueDelivery, requestAlertEvaluation } from './follow-ups.js';

/** Windows one close-windows run enqueues: a backfill of a month of hours is taken in one or two minutes. */
const CLOSE_WINDOWS_PER_RUN = 5_000;

/** The scheduled tasks: partitions, retention, compaction, and the sweeps that re-enqueue lost work. */
export const maintenance: Processor<typeof QueueName.maintenance> = async (payload, _job, ctx) => {
  switch (payload.task) {
    case 'create-partitions':
      return { created: await createPartitions(ctx.db, Date.now(), ctx.env.PARTITIONS_AHEAD_DAYS) };
    case 'drop-expired-partitions':
      return applyRetention(ctx.db, Date.now());
    case 'compact-profiles':
      return { deleted: await compactProfiles(ctx.db, Date.now()), deletedRollingPoints: await compactRollingPoints(ctx.db, Date.now()) };
    case 'close-windows': {
      const due = await findWindowsToClose(ctx.db, ctx.env.WINDOW_GRACE_MS, CLOSE_WINDOWS_PER_RUN);
      for (const { version, ...w } of due) await ctx.enqueue(QueueName.windowRecompute, w, JobId.windowRecompute(w, version));
      return { due: due.length };
    }
    case 'alert-sweep': {
      const orgs = await workspacesWithRules(ctx.db);
      for (const organizationId of orgs) await requestAlertEvaluation(ctx, organizationId, 'schedule');
      return { workspaces: orgs.length };
    }
    case 'delivery-sweep': {
      const pending = await pendingDeliveries(ctx.db);
      for (const d of pending) await enqueueDelivery(ctx, d.organizationId, d.deliveryId);
      return { pending: pending.length };
    }
    case 'reference-sweep': {
      const pending = await pendingReferences(ctx.db);
      for (const job of pending) await ctx.enqueue(QueueName.referenceProfile, job, JobId.referenceProfile(job));
      return { pending: pending.length };
    }
    case 'stream-sweep': {
      const pending = await findPendingVersions(ctx.db);
      const minute = new Date(Date.now() - (Date.now() % 60_000)).toISOString();
      for (const p of pending) {
        const job = { ...p, minute };
        await ctx.enqueue(QueueName.ingestWindow, job, JobId.ingestWindowSweep(job));
      }
      return { pending: pending.length };
    }
    default:
      // A task of a later version is a poison job here: fail it instead of retrying forever.
      throw new Error(`maintenance task ${(payload as { task: string }).task} is not handled by this worker`);
  }
};
