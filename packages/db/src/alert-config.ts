import { randomBytes } from 'node:crypto';
import {
  ALERT_GRANULARITY_SECONDS,
  AlertRuleDefinitionSchema,
  AuditAction,
  formatIssues,
  MetricName,
  NotificationPolicySchema,
  unstorableTextError,
  VigilError,
  type AlertListQuery,
  type AlertRuleDefinition,
  type AlertRuleView,
  type AlertView,
  type ChannelInput,
  type ChannelType,
  type ChannelUpdate,
  type ChannelView,
  type NotificationPolicy,
  type SilenceCreate,
  type SilenceView,
} from '@vigil/contracts';
import type pg from 'pg';
import type { Prisma } from './generated/prisma/client.js';
import type { SecretBox } from './secrets.js';
import type { TenantDb } from './tenant.js';

/*
 * Alerting configuration on behalf of a workspace: rules, channels, silences, the team
 * notification policy, and the alerts users list and acknowledge. The web app (team members)
 * and the REST API (a project's admin key) decide which teams a caller may act for and pass
 * them in; everything here is narrowed to those teams, and an object of another team reads as
 * "not found". Every change writes an audit row in the same transaction.
 */

/** Who acts: a user of the web app or an API key. */
export interface AlertActor {
  organizationId: string;
  userId?: string;
  apiKeyId?: string;
}

type Tx = Parameters<Parameters<TenantDb['$transaction']>[0]>[0];

async function audit(
  tx: Tx,
  actor: AlertActor,
  action: AuditAction,
  targetType: 'alert_rule' | 'channel' | 'silence' | 'alert' | 'team',
  targetId: string,
  details?: Prisma.InputJsonValue,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      organizationId: actor.organizationId,
      actorUserId: actor.userId ?? null,
      actorApiKeyId: actor.apiKeyId ?? null,
      action,
      targetType,
      targetId,
      ...(details !== undefined ? { details } : {}),
    },
  });
}

function invalid(errors: { path: string; message: string }[]): VigilError {
  return new VigilError('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

// ───────────── rules ─────────────

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
  if (!parsed.success) throw invalid(formatIssues(parsed.error));
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
  if (errors.length > 0) throw invalid(errors);
  return def;
}

export async function listAlertRules(t: TenantDb, teamIds: string[]): Promise<AlertRuleView[]> {
  const rows = await t.alertRule.findMany({ where: { teamId: { in: teamIds } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return rows.map(ruleView);
}

async function ruleOf(t: TenantDb | Tx, teamIds: string[], id: string) {
  const rule = await t.alertRule.findFirst({ where: { id, teamId: { in: teamIds } } });
  if (!rule) throw new VigilError('NOT_FOUND', 'alert rule not found');
  return rule;
}

export async function getAlertRule(t: TenantDb, teamIds: string[], id: string): Promise<AlertRuleView> {
  return ruleView(await ruleOf(t, teamIds, id));
}

export async function createAlertRule(t: TenantDb, actor: AlertActor, teamId: string, input: unknown): Promise<AlertRuleView> {
  const def = await validateAlertRule(t, teamId, input);
  return t.$transaction(async (tx) => {
    const rule = await tx.alertRule.create({
      data: { organizationId: actor.organizationId, teamId, name: def.name, definition: def as unknown as Prisma.InputJsonValue, enabled: def.enabled, createdById: actor.userId ?? null },
    });
    await audit(tx, actor, AuditAction.alertRuleCreated, 'alert_rule', rule.id, { name: def.name, teamId, metric: def.metric });
    return ruleView(rule);
  });
}

export async function updateAlertRule(t: TenantDb, actor: AlertActor, teamIds: string[], id: string, input: unknown): Promise<AlertRuleView> {
  const existing = await ruleOf(t, teamIds, id);
  const def = await validateAlertRule(t, existing.teamId, input);
  return t.$transaction(async (tx) => {
    const rule = await tx.alertRule.update({
      where: { id: existing.id },
      data: { name: def.name, definition: def as unknown as Prisma.InputJsonValue, enabled: def.enabled, updatedAt: new Date() },
    });
    await audit(tx, actor, AuditAction.alertRuleUpdated, 'alert_rule', rule.id, { name: def.name, enabled: def.enabled });
    return ruleView(rule);
  });
}

export async function deleteAlertRule(t: TenantDb, actor: AlertActor, teamIds: string[], id: string): Promise<void> {
  const existing = await ruleOf(t, teamIds, id);
  await t.$transaction(async (tx) => {
    await tx.alertRule.delete({ where: { id: existing.id } });
    await audit(tx, actor, AuditAction.alertRuleDeleted, 'alert_rule', existing.id, { name: existing.name });
  });
}

// ───────────── channels ─────────────

/** What a channel keeps encrypted. */
export type ChannelSecret =
  | { type: 'webhook'; url: string; signingSecret: string }
  | { type: 'slack'; webhookUrl: string }
  | { type: 'email' }
  | { type: 'pagerduty'; routingKey: string };

function channelView(c: { id: string; teamId: string; name: string; type: string; config: unknown; enabled: boolean; createdAt: Date }): ChannelView {
  return { id: c.id, teamId: c.teamId, name: c.name, type: c.type as ChannelType, config: (c.config ?? {}) as Record<string, unknown>, enabled: c.enabled, createdAt: c.createdAt.toISOString() };
}

function splitChannel(input: ChannelInput): { config: Record<string, unknown>; secret: ChannelSecret; signingSecret?: string } {
  switch (input.type) {
    case 'webhook': {
      const signingSecret = input.signingSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
      return { config: { host: new URL(input.url).host }, secret: { type: 'webhook', url: input.url, signingSecret }, ...(input.signingSecret ? {} : { signingSecret }) };
    }
    case 'slack':
      return { config: { host: new URL(input.webhookUrl).host }, secret: { type: 'slack', webhookUrl: input.webhookUrl } };
    case 'email':
      return { config: { to: input.to }, secret: { type: 'email' } };
    case 'pagerduty':
      return { config: { routingKeyEnd: input.routingKey.slice(-4) }, secret: { type: 'pagerduty', routingKey: input.routingKey } };
  }
}

/** Creates a channel; a generated webhook signing secret is returned here, once. */
export async function createChannel(
  t: TenantDb,
  box: SecretBox,
  actor: AlertActor,
  teamId: string,
  input: ChannelInput,
): Promise<{ channel: ChannelView; signingSecret?: string }> {
  const { config, secret, signingSecret } = splitChannel(input);
  return t.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: { organizationId: actor.organizationId, teamId, name: input.name, type: input.type, config: config as Prisma.InputJsonValue, secretEncrypted: box.seal(secret) },
    });
    await audit(tx, actor, AuditAction.channelCreated, 'channel', row.id, { name: input.name, type: input.type, teamId });
    return { channel: channelView(row), ...(signingSecret ? { signingSecret } : {}) };
  });
}

export async function listChannels(t: TenantDb, teamIds: string[]): Promise<ChannelView[]> {
  const rows = await t.notificationChannel.findMany({ where: { teamId: { in: teamIds } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  return rows.map(channelView);
}

async function channelOf(t: TenantDb, teamIds: string[], id: string) {
  const c = await t.notificationChannel.findFirst({ where: { id, teamId: { in: teamIds } } });
  if (!c) throw new VigilError('NOT_FOUND', 'channel not found');
  return c;
}

export async function getChannel(t: TenantDb, teamIds: string[], id: string): Promise<ChannelView> {
  return channelView(await channelOf(t, teamIds, id));
}

export async function updateChannel(t: TenantDb, actor: AlertActor, teamIds: string[], id: string, update: ChannelUpdate): Promise<ChannelView> {
  const c = await channelOf(t, teamIds, id);
  return t.$transaction(async (tx) => {
    const row = await tx.notificationChannel.update({
      where: { id: c.id },
      data: { ...(update.name !== undefined ? { name: update.name } : {}), ...(update.enabled !== undefined ? { enabled: update.enabled } : {}) },
    });
    await audit(tx, actor, AuditAction.channelUpdated, 'channel', c.id, { ...update });
    return channelView(row);
  });
}

/** Deletes a channel and takes it out of the team's rules. */
export async function deleteChannel(t: TenantDb, actor: AlertActor, teamIds: string[], id: string): Promise<void> {
  const c = await channelOf(t, teamIds, id);
  await t.$transaction(async (tx) => {
    const rules = await tx.alertRule.findMany({ where: { teamId: c.teamId } });
    for (const r of rules) {
      const def = r.definition as { channels?: string[] };
      if (def.channels?.includes(c.id)) {
        await tx.alertRule.update({ where: { id: r.id }, data: { definition: { ...def, channels: def.channels.filter((x) => x !== c.id) } as Prisma.InputJsonValue } });
      }
    }
    await tx.notificationChannel.delete({ where: { id: c.id } });
    await audit(tx, actor, AuditAction.channelDeleted, 'channel', c.id, { name: c.name, type: c.type });
  });
}

export function openChannelSecret(box: SecretBox, sealed: string | null): ChannelSecret {
  if (!sealed) throw new VigilError('INTERNAL', 'channel has no stored secret');
  return box.open<ChannelSecret>(sealed);
}

// ───────────── deliveries ─────────────

export interface DeliveryView {
  id: string;
  channelId: string;
  groupKey: string;
  kind: 'firing' | 'resolved' | 'repeat' | 'test';
  status: 'pending' | 'delivered' | 'failed';
  attempts: { attempt: number; statusCode: number | null; error: string | null; durationMs: number; at: string }[];
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/**
 * Queues a test notification on a channel: a delivery the worker sends within seconds (its
 * delivery sweep picks up new pending deliveries). Returns the delivery to follow.
 */
export async function createTestDelivery(t: TenantDb, actor: AlertActor, teamIds: string[], channelId: string): Promise<{ deliveryId: string }> {
  const c = await channelOf(t, teamIds, channelId);
  const d = await t.notificationDelivery.create({
    data: { organizationId: actor.organizationId, teamId: c.teamId, channelId: c.id, groupKey: 'test', kind: 'test', payload: { requestedAt: new Date().toISOString() } },
  });
  return { deliveryId: d.id };
}

export async function listDeliveries(t: TenantDb, teamIds: string[], opts: { channelId?: string; id?: string; limit?: number } = {}): Promise<DeliveryView[]> {
  const rows = await t.notificationDelivery.findMany({
    where: { channelId: { in: (await t.notificationChannel.findMany({ where: { teamId: { in: teamIds }, ...(opts.channelId ? { id: opts.channelId } : {}) }, select: { id: true } })).map((c) => c.id) }, ...(opts.id ? { id: opts.id } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    take: opts.limit ?? 50,
  });
  const attempts = await t.notificationAttempt.findMany({ where: { deliveryId: { in: rows.map((r) => r.id) } }, orderBy: [{ deliveryId: 'asc' }, { attempt: 'asc' }] });
  return rows.map((d) => ({
    id: d.id,
    channelId: d.channelId,
    groupKey: d.groupKey,
    kind: d.kind as DeliveryView['kind'],
    status: d.status as DeliveryView['status'],
    attempts: attempts
      .filter((a) => a.deliveryId === d.id)
      .map((a) => ({ attempt: a.attempt, statusCode: a.statusCode, error: a.error, durationMs: a.durationMs, at: a.at.toISOString() })),
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  }));
}

// ───────────── silences ─────────────

function silenceView(s: { id: string; teamId: string; matchers: unknown; comment: string; startsAt: Date; endsAt: Date; createdAt: Date }, now: number): SilenceView {
  return {
    id: s.id,
    teamId: s.teamId,
    matchers: s.matchers as SilenceView['matchers'],
    comment: s.comment,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    active: s.startsAt.getTime() <= now && now < s.endsAt.getTime(),
    createdAt: s.createdAt.toISOString(),
  };
}

export async function createSilence(t: TenantDb, actor: AlertActor, teamId: string, input: SilenceCreate, now = Date.now()): Promise<SilenceView> {
  const startsAt = input.startsAt ? new Date(input.startsAt) : new Date(now);
  const endsAt = input.endsAt ? new Date(input.endsAt) : new Date(startsAt.getTime() + input.durationMinutes! * 60_000);
  if (endsAt.getTime() <= startsAt.getTime()) throw invalid([{ path: 'endsAt', message: 'must be after startsAt' }]);
  return t.$transaction(async (tx) => {
    const s = await tx.silence.create({
      data: { organizationId: actor.organizationId, teamId, matchers: input.matchers as Prisma.InputJsonValue, comment: input.comment, startsAt, endsAt, createdById: actor.userId ?? null },
    });
    await audit(tx, actor, AuditAction.silenceCreated, 'silence', s.id, { matchers: input.matchers as Prisma.InputJsonValue, endsAt: endsAt.toISOString() });
    return silenceView(s, now);
  });
}

export async function listSilences(t: TenantDb, teamIds: string[], opts: { includeExpired?: boolean } = {}, now = Date.now()): Promise<SilenceView[]> {
  const rows = await t.silence.findMany({
    where: { teamId: { in: teamIds }, ...(opts.includeExpired ? {} : { endsAt: { gt: new Date(now) } }) },
    orderBy: [{ endsAt: 'desc' }, { id: 'asc' }],
    take: 500,
  });
  return rows.map((s) => silenceView(s, now));
}

/** Ends a silence now (it stays listed as expired). */
export async function expireSilence(t: TenantDb, actor: AlertActor, teamIds: string[], id: string, now = Date.now()): Promise<SilenceView> {
  const s = await t.silence.findFirst({ where: { id, teamId: { in: teamIds } } });
  if (!s) throw new VigilError('NOT_FOUND', 'silence not found');
  return t.$transaction(async (tx) => {
    const end = new Date(Math.min(now, s.endsAt.getTime()));
    const row = await tx.silence.update({ where: { id: s.id }, data: { endsAt: end, ...(s.startsAt.getTime() > end.getTime() ? { startsAt: end } : {}) } });
    await audit(tx, actor, AuditAction.silenceExpired, 'silence', s.id);
    return silenceView(row, now);
  });
}

// ───────────── notification policy ─────────────

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

export async function setNotificationPolicy(t: TenantDb, actor: AlertActor, teamId: string, input: unknown): Promise<NotificationPolicy> {
  const parsed = NotificationPolicySchema.safeParse(input);
  if (!parsed.success) throw invalid(formatIssues(parsed.error));
  return t.$transaction(async (tx) => {
    await tx.team.update({ where: { id: teamId }, data: { notificationPolicy: parsed.data as Prisma.InputJsonValue } });
    await audit(tx, actor, AuditAction.notificationPolicyUpdated, 'team', teamId, parsed.data as Prisma.InputJsonValue);
    return parsed.data;
  });
}

// ───────────── alerts ─────────────

const ACTIVE_STATES = ['pending', 'firing', 'nodata'];

export async function listAlerts(t: TenantDb, teamIds: string[], q: AlertListQuery): Promise<AlertView[]> {
  const rows = await t.alert.findMany({
    where: {
      rule: { teamId: { in: teamIds } },
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

/** Acknowledges a firing or pending alert until its episode ends: it is not repeated meanwhile. */
export async function acknowledgeAlert(t: TenantDb, actor: AlertActor, teamIds: string[], id: string, now = Date.now()): Promise<void> {
  const a = await t.alert.findFirst({ where: { id, rule: { teamId: { in: teamIds } } } });
  if (!a) throw new VigilError('NOT_FOUND', 'alert not found');
  if (a.state !== 'firing' && a.state !== 'pending') throw new VigilError('CONFLICT', `a ${a.state} alert cannot be acknowledged`);
  await t.$transaction(async (tx) => {
    await tx.alert.update({ where: { id: a.id }, data: { acknowledgedAt: new Date(now), acknowledgedById: actor.userId ?? null } });
    await audit(tx, actor, AuditAction.alertAcknowledged, 'alert', a.id);
  });
}

// ───────────── points ─────────────

/** A metric point as the alert evaluator reads it (`MetricPoint` of @vigil/alerting). */
export interface AlertPoint {
  metric: string;
  column: string;
  segment: string;
  modelId: string;
  modelVersionId: string | null;
  projectId: string;
  granularity: 'minute' | 'hour' | 'day' | 'rolling_1h';
  windowStart: number;
  value: number;
  details?: unknown;
  ready: boolean;
}

/**
 * The points of `metrics` at `granularity` for the given projects, windows starting in
 * [from, to). A window is ready (complete) when its exact batch result was written, or its
 * grace period has passed; a rolling-1h point once its minute has ended.
 */
export async function loadAlertPoints(
  pool: pg.Pool | pg.PoolClient,
  organizationId: string,
  projectIds: string[],
  metrics: string[],
  granularity: 'hour' | 'day' | 'rolling_1h',
  from: number,
  to: number,
  opts: { now?: number; graceMs?: number; modelIds?: string[] } = {},
): Promise<AlertPoint[]> {
  if (projectIds.length === 0 || metrics.length === 0) return [];
  const now = opts.now ?? Date.now();
  const lengthMs = ALERT_GRANULARITY_SECONDS[granularity] * 1000;
  const { rows } = await pool.query<{
    metric: string;
    column_name: string;
    segment: string;
    model_id: string;
    model_version_id: string | null;
    project_id: string;
    window_start: Date;
    value: number;
    details: unknown;
    closed: boolean;
  }>(
    `SELECT p.metric, p.column_name, p.segment, p.model_id, p.model_version_id, p.project_id, p.window_start, p.value, p.details,
            (w.closed_at IS NOT NULL) AS closed
     FROM metric_point p
     LEFT JOIN window_state w ON w.model_version_id = p.model_version_id AND w.granularity = p.granularity AND w.window_start = p.window_start
     WHERE p.organization_id = $1
       AND p.model_id IN (SELECT id FROM models WHERE organization_id = $1 AND project_id = ANY($2::text[]) ${opts.modelIds ? 'AND id = ANY($7::text[])' : ''})
       AND p.metric = ANY($3::text[]) AND p.granularity = $4 AND p.window_start >= $5 AND p.window_start < $6
     ORDER BY p.window_start`,
    [organizationId, projectIds, metrics, granularity, new Date(from), new Date(to), ...(opts.modelIds ? [opts.modelIds] : [])],
  );
  const grace = opts.graceMs ?? 300_000;
  return rows.map((r) => {
    const start = r.window_start.getTime();
    const ready = granularity === 'rolling_1h' ? start + lengthMs <= now : r.closed || start + lengthMs + grace <= now;
    return {
      metric: r.metric,
      column: r.column_name,
      segment: r.segment,
      modelId: r.model_id,
      modelVersionId: r.model_version_id,
      projectId: r.project_id,
      granularity,
      windowStart: start,
      value: r.value,
      ...(r.details !== null && r.details !== undefined ? { details: r.details } : {}),
      ready,
    };
  });
}

/**
 * The points a rule reads, windows starting in [from, to): its metric (and label coverage when
 * it has a minimum), of the team's projects its scope keeps (`teamProjectIds`: the projects of
 * the rule's team), and of its scoped models. Used by the evaluator and by every backtest.
 */
export function loadRulePoints(
  pool: pg.Pool | pg.PoolClient,
  organizationId: string,
  teamProjectIds: readonly string[],
  def: AlertRuleDefinition,
  from: number,
  to: number,
  opts: { now?: number; graceMs?: number } = {},
): Promise<AlertPoint[]> {
  const scoped = def.scope.projectIds?.length ? teamProjectIds.filter((id) => def.scope.projectIds!.includes(id)) : [...teamProjectIds];
  const metrics = [def.metric, ...(def.minLabelCoverage !== undefined ? [MetricName.labelCoverage] : [])];
  return loadAlertPoints(pool, organizationId, scoped, metrics, def.granularity, from, to, {
    ...opts,
    ...(def.scope.modelIds?.length ? { modelIds: def.scope.modelIds } : {}),
  });
}
