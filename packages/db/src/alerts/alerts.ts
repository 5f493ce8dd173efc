import { AuditAction, VigilError, type AlertListQuery, type AlertView } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { TenantDb } from '../tenant.js';

/*
 * Alert instances as users list and acknowledge them (the evaluator's own reads and writes are
 * in ./instances.ts).
 */

const ACTIVE_STATES = ['pending', 'firing', 'nodata'];

export async function listAlerts(t: TenantDb, teamIds: readonly string[], q: AlertListQuery): Promise<AlertView[]> {
  const rows = await t.alert.findMany({
    where: {
      rule: { teamId: { in: [...teamIds] } },
      ...(q.state === 'all' ? {} : q.state === 'active' ? { state: { in: ACTIVE_STATES } } : { state: q.state }),
      ...(q.modelId ? { modelId: q.modelId } : {}),
    },
    include: { rule: { select: { id: true, name: true, teamId: true, definition: true } } },
    orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
    take: q.limit,
  });
  const modelIds = [...new Set(rows.map((r) => r.modelId).filter((m): m is string => !!m))];
  const models = new Map((await t.model.findMany({ where: { id: { in: modelIds } }, select: { id: true, slug: true, name: true } })).map((m) => [m.id, m]));
  return rows.map((a) => {
    const labels = a.labels as { version?: string; column?: string; segment?: string };
    const def = a.rule.definition as { metric?: string; granularity?: string };
    return {
      id: a.id,
      teamId: a.rule.teamId,
      rule: { id: a.rule.id, name: a.rule.name, metric: def.metric ?? '', granularity: def.granularity ?? '' },
      fingerprint: a.fingerprint,
      model: a.modelId ? (models.get(a.modelId) ?? null) : null,
      projectId: a.projectId,
      version: labels.version ?? '',
      column: labels.column ?? '',
      segment: labels.segment ?? '',
      state: a.state as AlertView['state'],
      severity: a.severity as AlertView['severity'],
      value: a.value,
      startedAt: a.startedAt?.toISOString() ?? null,
      resolvedAt: a.resolvedAt?.toISOString() ?? null,
      acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
      lastEvaluatedAt: a.lastEvaluatedAt?.toISOString() ?? null,
    };
  });
}

/** The team owning an alert of this workspace (its rule's team), or null. */
export async function alertTeam(t: TenantDb, id: string): Promise<string | null> {
  return (await t.alert.findUnique({ where: { id }, select: { rule: { select: { teamId: true } } } }))?.rule.teamId ?? null;
}

/** Acknowledges a firing or pending alert until its episode ends: it is not repeated meanwhile. */
export async function acknowledgeAlert(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string, now = Date.now()): Promise<void> {
  const a = await t.alert.findFirst({ where: { id, rule: { teamId: { in: [...teamIds] } } } });
  if (!a) throw new VigilError('NOT_FOUND', 'alert not found');
  if (a.state !== 'firing' && a.state !== 'pending') throw new VigilError('CONFLICT', `a ${a.state} alert cannot be acknowledged`);
  await t.$transaction(async (tx) => {
    await tx.alert.update({ where: { id: a.id }, data: { acknowledgedAt: new Date(now), acknowledgedById: actor.userId ?? null } });
    await writeAudit(tx, actor, { action: AuditAction.alertAcknowledged, targetType: 'alert', targetId: a.id });
  });
}
