import { alertFingerprint } from '@vigil/alerting';
import { upsertMetricPoints } from '@vigil/db';
import { getDb } from '~/server/db';

/** A valid hourly missing-share rule body with the given name and channels. */
export const ruleBody = (name = 'Missing amounts', channels: string[] = []) => ({
  name,
  metric: 'missing_share' as const,
  granularity: 'hour' as const,
  condition: {
    op: '>' as const,
    threshold: { kind: 'fixed' as const, warning: 0.1, critical: 0.3 },
  },
  channels,
});

/**
 * A firing critical alert instance of `ruleId` on the `amount` column of a model, as the worker
 * stores one (the routers only read and acknowledge alerts). Returns its id.
 */
export async function createFiringAlert(a: {
  organizationId: string;
  ruleId: string;
  modelId: string;
  projectId: string;
  value: number;
}): Promise<string> {
  const labels = { model: a.modelId, version: '', column: 'amount', segment: '' };
  const alert = await getDb().system.alert.create({
    data: {
      organizationId: a.organizationId,
      ruleId: a.ruleId,
      fingerprint: alertFingerprint(a.ruleId, labels),
      labels,
      state: 'firing',
      severity: 'critical',
      value: a.value,
      startedAt: new Date(),
      modelId: a.modelId,
      projectId: a.projectId,
    },
  });
  return alert.id;
}

/** Stores a model's hourly `missing_share` points on `amount`, one per value from `start` (the worker's output, for backtests). */
export async function storeHourlyMissingShare(at: { organizationId: string; projectId: string; modelId: string; start: number }, values: number[]): Promise<void> {
  await upsertMetricPoints(
    getDb().pool,
    values.map((value, i) => ({
      organizationId: at.organizationId,
      projectId: at.projectId,
      modelId: at.modelId,
      modelVersionId: null,
      metric: 'missing_share',
      columnName: 'amount',
      granularity: 'hour' as const,
      windowStart: new Date(at.start + i * 3_600_000),
      value,
    })),
  );
}

/** An hourly rule on the `amount` column's missing share (warning 0.2, critical 0.4), as a draft. */
export const missingAmountsRule = {
  name: 'Missing amounts',
  metric: 'missing_share' as const,
  column: { kind: 'one' as const, name: 'amount' },
  granularity: 'hour' as const,
  condition: { op: '>' as const, threshold: { kind: 'fixed' as const, warning: 0.2, critical: 0.4 } },
};
