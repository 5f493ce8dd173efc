import { AuditAction, formatIssues, NotificationPolicySchema, VigilError, type NotificationPolicy } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { Executor } from '../executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { TenantDb } from '../tenant.js';
import { validationError } from '../validation.js';

/** A team's stored notification policy with its defaults filled in; one that no longer validates counts as the defaults. */
export function policyFromStored(stored: unknown): NotificationPolicy {
  const parsed = NotificationPolicySchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : NotificationPolicySchema.parse({});
}

export async function getNotificationPolicy(t: TenantDb, teamId: string): Promise<NotificationPolicy> {
  const team = await t.team.findUnique({ where: { id: teamId }, select: { notificationPolicy: true } });
  if (!team) throw new VigilError('NOT_FOUND', 'team not found');
  return policyFromStored(team.notificationPolicy);
}

export async function setNotificationPolicy(t: TenantDb, actor: Actor, teamId: string, input: unknown): Promise<NotificationPolicy> {
  const parsed = NotificationPolicySchema.safeParse(input);
  if (!parsed.success) throw validationError(formatIssues(parsed.error));
  return t.$transaction(async (tx) => {
    await tx.team.update({ where: { id: teamId }, data: { notificationPolicy: parsed.data as Prisma.InputJsonValue } });
    await writeAudit(tx, actor, { action: AuditAction.notificationPolicyUpdated, targetType: 'team', targetId: teamId, details: parsed.data as Prisma.InputJsonValue });
    return parsed.data;
  });
}

/** A team's name and policy, as the evaluator plans its notifications (null: no such team in the workspace). */
export async function teamForNotifications(q: Executor, organizationId: string, teamId: string): Promise<{ id: string; name: string; policy: NotificationPolicy } | null> {
  const { rows } = await q.query<{ id: string; name: string; notification_policy: unknown }>(
    `SELECT id, name, notification_policy FROM teams WHERE organization_id = $1 AND id = $2`,
    [organizationId, teamId],
  );
  const r = rows[0];
  return r ? { id: r.id, name: r.name, policy: policyFromStored(r.notification_policy) } : null;
}
