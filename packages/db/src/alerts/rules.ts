import { AlertRuleDefinitionSchema, AuditAction, formatIssues, unstorableTextError, VigilError, type AlertRuleDefinition, type AlertRuleView } from '@vigil/contracts';
import { writeAudit, type Actor } from '../audit.js';
import type { Executor } from '../executor.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { TenantDb, TenantTx } from '../tenant.js';
import { validationError } from '../validation.js';

/*
 * Alert rules on behalf of a workspace. The web app (team members) and the REST API (a
 * project's admin key) decide which teams a caller may act for and pass them in; everything
 * here is narrowed to those teams, and a rule of another team reads as "not found". Every
 * change writes an audit row in the same transaction.
 */

function ruleView(r: { id: string; teamId: string; name: string; enabled: boolean; definition: unknown; createdAt: Date; updatedAt: Date }): AlertRuleView {
  return { id: r.id, teamId: r.teamId, name: r.name, enabled: r.enabled, definition: r.definition, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

/**
 * Validates a rule for `teamId`: the schema, then that its channels, projects and models are
 * the team's own. Returns the definition with defaults applied.
 */
export async function validateAlertRule(t: TenantDb, teamId: string, input: unknown): Promise<AlertRuleDefinition> {
  const unstorable = unstorableTextError(input);
  if (unstorable) throw unstorable;
  const parsed = AlertRuleDefinitionSchema.safeParse(input);
  if (!parsed.success) throw validationError(formatIssues(parsed.error));
  const def = parsed.data;
  const errors: { path: string; message: string }[] = [];
  if (def.channels.length > 0) {
    const found = await t.notificationChannel.findMany({ where: { id: { in: def.channels }, teamId }, select: { id: true } });
    const known = new Set(found.map((c) => c.id));
    def.channels.forEach((id, i) => {
      if (!known.has(id)) errors.push({ path: `channels.${i}`, message: `no channel ${id} in this team` });
    });
  }
  const projectIds = def.scope.projectIds ?? [];
  if (projectIds.length > 0) {
    const found = await t.project.findMany({ where: { id: { in: projectIds }, teamId }, select: { id: true } });
    const known = new Set(found.map((p) => p.id));
    projectIds.forEach((id, i) => {
      if (!known.has(id)) errors.push({ path: `scope.projectIds.${i}`, message: `no project ${id} in this team` });
    });
  }
  const modelIds = def.scope.modelIds ?? [];
  if (modelIds.length > 0) {
    const found = await t.model.findMany({ where: { id: { in: modelIds }, project: { teamId } }, select: { id: true } });
    const known = new Set(found.map((m) => m.id));
    modelIds.forEach((id, i) => {
      if (!known.has(id)) errors.push({ path: `scope.modelIds.${i}`, message: `no model ${id} in this team's projects` });
    });
  }
  if (errors.length > 0) throw validationError(errors);
  return def;
}

export async function listAlertRules(t: TenantDb, teamIds: readonly string[]): Promise<AlertRuleView[]> {
  const rows = await t.alertRule.findMany({ where: { teamId: { in: [...teamIds] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return rows.map(ruleView);
}

/** The team owning a rule of this workspace, or null: what access checks decide on. */
export async function alertRuleTeam(t: TenantDb, id: string): Promise<string | null> {
  return (await t.alertRule.findUnique({ where: { id }, select: { teamId: true } }))?.teamId ?? null;
}

async function ruleOf(t: TenantDb | TenantTx, teamIds: readonly string[], id: string) {
  const rule = await t.alertRule.findFirst({ where: { id, teamId: { in: [...teamIds] } } });
  if (!rule) throw new VigilError('NOT_FOUND', 'alert rule not found');
  return rule;
}

export async function getAlertRule(t: TenantDb, teamIds: readonly string[], id: string): Promise<AlertRuleView> {
  return ruleView(await ruleOf(t, teamIds, id));
}

export async function createAlertRule(t: TenantDb, actor: Actor, teamId: string, input: unknown): Promise<AlertRuleView> {
  const def = await validateAlertRule(t, teamId, input);
  return t.$transaction(async (tx) => {
    const rule = await tx.alertRule.create({
      data: { organizationId: actor.organizationId, teamId, name: def.name, definition: def as unknown as Prisma.InputJsonValue, enabled: def.enabled, createdById: actor.userId ?? null },
    });
    await writeAudit(tx, actor, { action: AuditAction.alertRuleCreated, targetType: 'alert_rule', targetId: rule.id, details: { name: def.name, teamId, metric: def.metric } });
    return ruleView(rule);
  });
}

export async function updateAlertRule(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string, input: unknown): Promise<AlertRuleView> {
  const existing = await ruleOf(t, teamIds, id);
  const def = await validateAlertRule(t, existing.teamId, input);
  return t.$transaction(async (tx) => {
    const rule = await tx.alertRule.update({
      where: { id: existing.id },
      data: { name: def.name, definition: def as unknown as Prisma.InputJsonValue, enabled: def.enabled, updatedAt: new Date() },
    });
    await writeAudit(tx, actor, { action: AuditAction.alertRuleUpdated, targetType: 'alert_rule', targetId: rule.id, details: { name: def.name, enabled: def.enabled } });
    return ruleView(rule);
  });
}

export async function deleteAlertRule(t: TenantDb, actor: Actor, teamIds: readonly string[], id: string): Promise<void> {
  const existing = await ruleOf(t, teamIds, id);
  await t.$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: existing.id } });
    await writeAudit(tx, actor, { action: AuditAction.alertRuleDeleted, targetType: 'alert_rule', targetId: existing.id, details: { name: existing.name } });
  });
}

/** Takes a channel out of every rule of its team (the channel is being deleted), in the caller's transaction. */
export async function removeChannelFromRules(tx: TenantTx, teamId: string, channelId: string): Promise<void> {
  const rules = await tx.alertRule.findMany({ where: { teamId } });
  for (const r of rules) {
    const def = r.definition as { channels?: string[] };
    if (def.channels?.includes(channelId)) {
      await tx.alertRule.update({ where: { id: r.id }, data: { definition: { ...def, channels: def.channels.filter((x) => x !== channelId) } as Prisma.InputJsonValue } });
    }
  }
}

/** A stored rule as the evaluator reads it: the definition is validated by the caller (an old one may no longer be). */
export interface EnabledRuleRow {
  id: string;
  teamId: string;
  definition: unknown;
}

/** The workspace's enabled rules, in id order. */
export async function enabledAlertRules(q: Executor, organizationId: string): Promise<EnabledRuleRow[]> {
  const { rows } = await q.query<{ id: string; team_id: string; definition: unknown }>(
    `SELECT id, team_id, definition FROM alert_rules WHERE organization_id = $1 AND enabled ORDER BY id`,
    [organizationId],
  );
  return rows.map((r) => ({ id: r.id, teamId: r.team_id, definition: r.definition }));
}

/** Workspaces with at least one enabled rule: the periodic evaluation covers their no-data and group timers. Cross-tenant: a scheduler's read. */
export async function workspacesWithEnabledRules(q: Executor): Promise<string[]> {
  const { rows } = await q.query<{ organization_id: string }>(`SELECT DISTINCT organization_id FROM alert_rules WHERE enabled`);
  return rows.map((r) => r.organization_id);
}
