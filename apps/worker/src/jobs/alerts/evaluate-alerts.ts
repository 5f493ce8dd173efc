import {
  evaluateRule,
  historyDepth,
  planNotifications,
  toNotifiableAlert,
  type AlertInstanceState,
  type AlertRule,
  type MetricPoint,
  type NotificationGroupState,
  type Silence,
} from '@vigil/alerting';
import { ALERT_GRANULARITY_SECONDS, AlertRuleDefinitionSchema, type AlertRuleDefinition } from '@vigil/contracts';
import {
  activeSilences,
  enabledAlertRules,
  enabledChannelIds,
  inTransaction,
  insertDelivery,
  loadNotificationGroups,
  loadRulePoints,
  lockAlertEvaluation,
  markAlertsNotified,
  modelsByIds,
  projectSlugs,
  projectsByTeam,
  saveNotificationGroups,
  teamForNotifications,
  teamsWithNotificationGroups,
  versionNamesOf,
  workspaceRef,
  type Db,
} from '@vigil/db';
import type pg from 'pg';
import { loadInstances, saveInstances } from './instance-store.js';
import { buildPayload, type PayloadContext } from './payload.js';

const DAY = 86_400_000;
/** How far back a rule reads its points at most: older windows are never evaluated again. */
const MAX_LOOKBACK_MS = 35 * DAY;
/** Windows a rule reads besides its history: a day of hours, a week of days, two hours of rolling points. */
const RECENT_WINDOWS = { hour: 24, day: 7, rolling_1h: 120 } as const;

export interface EvaluationResult {
  rules: number;
  transitions: number;
  deliveries: string[];
  /** When something becomes due without new data (group wait, interval, repeat). */
  nextDueAt: number | null;
}

/**
 * Evaluates every enabled rule of a workspace against its metric points, stores the alert
 * instances and their transitions, then plans each team's notifications and stores them as
 * pending deliveries — all in one transaction under the workspace's lock, so two workers never
 * evaluate the same workspace at once and a crash leaves nothing half-written. The caller
 * enqueues the returned deliveries after commit (a sweep picks up any it could not).
 */
export function evaluateAlerts(db: Db, organizationId: string, opts: { now?: number; graceMs: number; webUrl: string }): Promise<EvaluationResult> {
  const now = opts.now ?? Date.now();
  return inTransaction(db.pool, async (client) => {
    await lockAlertEvaluation(client, organizationId);
    return evaluateLocked(client, organizationId, now, opts);
  });
}

async function evaluateLocked(client: pg.PoolClient, organizationId: string, now: number, opts: { graceMs: number; webUrl: string }): Promise<EvaluationResult> {
  const rules: (AlertRule & { teamId: string })[] = [];
  for (const r of await enabledAlertRules(client, organizationId)) {
    const parsed = AlertRuleDefinitionSchema.safeParse(r.definition);
    // A rule saved by an older version that no longer validates is skipped, not fatal.
    if (parsed.success) rules.push({ id: r.id, teamId: r.teamId, definition: parsed.data });
  }
  const teamProjects = await projectsByTeam(client, organizationId);

  const stored = await loadInstances(client, organizationId, rules.map((r) => r.id));
  const after = new Map<string, Map<string, AlertInstanceState>>();
  let transitions = 0;
  const modelIds = new Set<string>();
  for (const rule of rules) {
    const prev = stored.byRule.get(rule.id)!;
    const points = await pointsFor(client, organizationId, rule.definition, teamProjects.get(rule.teamId) ?? [], prev, now, opts.graceMs);
    const evaluation = evaluateRule(rule, points, prev, now);
    after.set(rule.id, evaluation.instances);
    transitions += evaluation.transitions.length;
    for (const s of evaluation.instances.values()) modelIds.add(s.labels.model);
    const models = await modelsByIds(client, organizationId, [...evaluation.instances.values()].map((s) => s.labels.model));
    const projectOfModel = new Map(models.map((m) => [m.id, m.projectId]));
    await saveInstances(client, organizationId, rule.id, prev, evaluation.instances, evaluation.transitions, projectOfModel, stored.ids);
  }

  const deliveries: string[] = [];
  let nextDueAt: number | null = null;
  const teams = [...new Set(rules.map((r) => r.teamId))];
  // Teams whose last rule was deleted or disabled still have groups to settle.
  for (const teamId of await teamsWithNotificationGroups(client, organizationId)) if (!teams.includes(teamId)) teams.push(teamId);
  const context = await payloadContext(client, organizationId, [...modelIds], rules, opts.webUrl);
  for (const teamId of teams.sort()) {
    const teamRules = rules.filter((r) => r.teamId === teamId);
    const alerts = teamRules.flatMap((r) => [...(after.get(r.id)?.values() ?? [])].map((s) => toNotifiableAlert(r, s)));
    // One connection runs one query at a time.
    const silences = (await activeSilences(client, organizationId, teamId, now)) as Silence[];
    const groups = await loadNotificationGroups<NotificationGroupState>(client, organizationId, teamId);
    const team = await teamForNotifications(client, organizationId, teamId);
    if (!team) continue;
    const plan = planNotifications({ alerts, silences, policy: team.policy, groups, now });
    if (plan.nextDueAt !== null) nextDueAt = nextDueAt === null ? plan.nextDueAt : Math.min(nextDueAt, plan.nextDueAt);
    await saveGroups(client, organizationId, teamId, groups, plan.groups);
    const enabled = await enabledChannelIds(client, organizationId, teamId);
    for (const n of plan.notifications) {
      for (const channelId of [...new Set(n.alerts.flatMap((a) => a.channels))].sort()) {
        if (!enabled.has(channelId)) continue;
        const payload = buildPayload(n, { ...context, team: { id: team.id, name: team.name } }, n.alerts.filter((a) => a.channels.includes(channelId)));
        deliveries.push(await insertDelivery(client, { organizationId, teamId, channelId, groupKey: n.groupKey, kind: n.kind, payload }));
      }
      await markAlertsNotified(client, organizationId, n.alerts.map((a) => a.fingerprint), new Date(now));
    }
  }
  return { rules: rules.length, transitions, deliveries, nextDueAt };
}

/** The rule's points from far enough back to give new windows their history (stddev, % change). */
async function pointsFor(
  client: pg.PoolClient,
  organizationId: string,
  def: AlertRuleDefinition,
  teamProjects: string[],
  prev: ReadonlyMap<string, AlertInstanceState>,
  now: number,
  graceMs: number,
): Promise<MetricPoint[]> {
  // Rolling points come every minute; hour and day points once per window. A rule reads the
  // recent windows (a new rule starts from the current situation) plus its thresholds' history.
  const step = def.granularity === 'rolling_1h' ? 60_000 : ALERT_GRANULARITY_SECONDS[def.granularity] * 1000;
  const recent = RECENT_WINDOWS[def.granularity];
  let from = now - (recent + historyDepth(def.condition)) * step - ALERT_GRANULARITY_SECONDS[def.granularity] * 1000 - graceMs;
  for (const s of prev.values()) {
    if (s.lastEvaluatedWindow !== null) from = Math.min(from, s.lastEvaluatedWindow - historyDepth(def.condition) * step);
  }
  from = Math.max(from, now - MAX_LOOKBACK_MS);
  return loadRulePoints(client, organizationId, teamProjects, def, from, now + 1, { now, graceMs });
}

async function payloadContext(
  client: pg.PoolClient,
  organizationId: string,
  modelIds: string[],
  rules: readonly (AlertRule & { teamId: string })[],
  webUrl: string,
): Promise<Omit<PayloadContext, 'team'>> {
  const workspace = await workspaceRef(client, organizationId);
  const models = await modelsByIds(client, organizationId, modelIds);
  return {
    workspace,
    rules: new Map(rules.map((r) => [r.id, r.definition])),
    models: new Map(models.map((m) => [m.id, m])),
    projects: await projectSlugs(client, organizationId),
    versions: await versionNamesOf(client, organizationId, modelIds),
    webUrl,
  };
}

/** Writes the groups the plan removed or changed. */
async function saveGroups(
  client: pg.PoolClient,
  organizationId: string,
  teamId: string,
  before: ReadonlyMap<string, NotificationGroupState>,
  after: ReadonlyMap<string, NotificationGroupState>,
): Promise<void> {
  const gone = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.values()].filter((g) => JSON.stringify(g) !== JSON.stringify(before.get(g.groupKey)));
  await saveNotificationGroups(client, organizationId, teamId, gone, changed.map((g) => ({ groupKey: g.groupKey, state: g })));
}
