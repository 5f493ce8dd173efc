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
import { loadRulePoints, policyFromStored, type Db } from '@vigil/db';
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

interface RuleRow {
  id: string;
  team_id: string;
  definition: unknown;
}

/**
 * Evaluates every enabled rule of a workspace against its metric points, stores the alert
 * instances and their transitions, then plans each team's notifications and stores them as
 * pending deliveries — all in one transaction under the workspace's lock, so two workers never
 * evaluate the same workspace at once and a crash leaves nothing half-written. The caller
 * enqueues the returned deliveries after commit (a sweep picks up any it could not).
 */
export async function evaluateAlerts(db: Db, organizationId: string, opts: { now?: number; graceMs: number; webUrl: string }): Promise<EvaluationResult> {
  const now = opts.now ?? Date.now();
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`alerts:${organizationId}`]);
    const result = await evaluateLocked(client, organizationId, now, opts);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function evaluateLocked(client: pg.PoolClient, organizationId: string, now: number, opts: { graceMs: number; webUrl: string }): Promise<EvaluationResult> {
  const { rows: ruleRows } = await client.query<RuleRow>(
    `SELECT id, team_id, definition FROM alert_rules WHERE organization_id = $1 AND enabled ORDER BY id`,
    [organizationId],
  );
  const rules: (AlertRule & { teamId: string })[] = [];
  for (const r of ruleRows) {
    const parsed = AlertRuleDefinitionSchema.safeParse(r.definition);
    // A rule saved by an older version that no longer validates is skipped, not fatal.
    if (parsed.success) rules.push({ id: r.id, teamId: r.team_id, definition: parsed.data });
  }
  const { rows: projectRows } = await client.query<{ id: string; team_id: string; slug: string }>(
    `SELECT id, team_id, slug FROM projects WHERE organization_id = $1`,
    [organizationId],
  );
  const teamProjects = new Map<string, string[]>();
  for (const p of projectRows) teamProjects.set(p.team_id, [...(teamProjects.get(p.team_id) ?? []), p.id]);

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
    const models = await modelProjects(client, organizationId, [...evaluation.instances.values()].map((s) => s.labels.model));
    await saveInstances(client, organizationId, rule.id, prev, evaluation.instances, evaluation.transitions, models, stored.ids);
  }

  const deliveries: string[] = [];
  let nextDueAt: number | null = null;
  const teams = [...new Set(rules.map((r) => r.teamId))];
  // Teams whose last rule was deleted or disabled still have groups to settle.
  const { rows: groupTeams } = await client.query<{ team_id: string }>(`SELECT DISTINCT team_id FROM notification_groups WHERE organization_id = $1`, [organizationId]);
  for (const g of groupTeams) if (!teams.includes(g.team_id)) teams.push(g.team_id);
  const context = await payloadContext(client, organizationId, [...modelIds], rules, opts.webUrl);
  for (const teamId of teams.sort()) {
    const teamRules = rules.filter((r) => r.teamId === teamId);
    const alerts = teamRules.flatMap((r) => [...(after.get(r.id)?.values() ?? [])].map((s) => toNotifiableAlert(r, s)));
    // One connection runs one query at a time.
    const silences = await loadSilences(client, organizationId, teamId, now);
    const groups = await loadGroups(client, teamId);
    const policy = await loadPolicy(client, teamId);
    const team = (await client.query<{ id: string; name: string }>(`SELECT id, name FROM teams WHERE id = $1`, [teamId])).rows[0];
    if (!team) continue;
    const plan = planNotifications({ alerts, silences, policy, groups, now });
    if (plan.nextDueAt !== null) nextDueAt = nextDueAt === null ? plan.nextDueAt : Math.min(nextDueAt, plan.nextDueAt);
    await saveGroups(client, organizationId, teamId, groups, plan.groups);
    const { rows: channels } = await client.query<{ id: string }>(
      `SELECT id FROM notification_channels WHERE organization_id = $1 AND team_id = $2 AND enabled`,
      [organizationId, teamId],
    );
    const enabled = new Set(channels.map((c) => c.id));
    for (const n of plan.notifications) {
      for (const channelId of [...new Set(n.alerts.flatMap((a) => a.channels))].sort()) {
        if (!enabled.has(channelId)) continue;
        const payload = buildPayload(n, { ...context, team }, n.alerts.filter((a) => a.channels.includes(channelId)));
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO notification_deliveries (id, organization_id, team_id, channel_id, group_key, kind, payload)
           VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6) RETURNING id`,
          [organizationId, teamId, channelId, n.groupKey, n.kind, JSON.stringify(payload)],
        );
        deliveries.push(rows[0]!.id);
      }
      await client.query(
        `UPDATE alerts SET last_notified_at = $3 WHERE organization_id = $1 AND fingerprint = ANY($2::text[])`,
        [organizationId, n.alerts.map((a) => a.fingerprint), new Date(now)],
      );
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

async function modelProjects(client: pg.PoolClient, organizationId: string, modelIds: string[]): Promise<Map<string, string>> {
  if (modelIds.length === 0) return new Map();
  const { rows } = await client.query<{ id: string; project_id: string }>(`SELECT id, project_id FROM models WHERE organization_id = $1 AND id = ANY($2::text[])`, [
    organizationId,
    [...new Set(modelIds)],
  ]);
  return new Map(rows.map((r) => [r.id, r.project_id]));
}

async function payloadContext(
  client: pg.PoolClient,
  organizationId: string,
  modelIds: string[],
  rules: readonly (AlertRule & { teamId: string })[],
  webUrl: string,
): Promise<Omit<PayloadContext, 'team'>> {
  const org = (await client.query<{ id: string; name: string; slug: string }>(`SELECT id, name, slug FROM organizations WHERE id = $1`, [organizationId])).rows[0]!;
  const { rows: models } = await client.query<{ id: string; slug: string; name: string; project_id: string }>(
    `SELECT id, slug, name, project_id FROM models WHERE organization_id = $1 AND id = ANY($2::text[])`,
    [organizationId, modelIds],
  );
  const { rows: projects } = await client.query<{ id: string; slug: string }>(`SELECT id, slug FROM projects WHERE organization_id = $1`, [organizationId]);
  const { rows: versions } = await client.query<{ id: string; name: string }>(`SELECT id, name FROM model_versions WHERE organization_id = $1 AND model_id = ANY($2::text[])`, [
    organizationId,
    modelIds,
  ]);
  return {
    workspace: org,
    rules: new Map(rules.map((r) => [r.id, r.definition])),
    models: new Map(models.map((m) => [m.id, { id: m.id, slug: m.slug, name: m.name, projectId: m.project_id }])),
    projects: new Map(projects.map((p) => [p.id, p])),
    versions: new Map(versions.map((v) => [v.id, v.name])),
    webUrl,
  };
}

async function loadSilences(client: pg.PoolClient, organizationId: string, teamId: string, now: number): Promise<Silence[]> {
  const { rows } = await client.query<{ matchers: Silence['matchers']; starts_at: Date; ends_at: Date }>(
    `SELECT matchers, starts_at, ends_at FROM silences WHERE organization_id = $1 AND team_id = $2 AND starts_at <= $3 AND ends_at > $3`,
    [organizationId, teamId, new Date(now)],
  );
  return rows.map((r) => ({ matchers: r.matchers, startsAt: r.starts_at.getTime(), endsAt: r.ends_at.getTime() }));
}

async function loadGroups(client: pg.PoolClient, teamId: string): Promise<Map<string, NotificationGroupState>> {
  const { rows } = await client.query<{ group_key: string; state: NotificationGroupState }>(`SELECT group_key, state FROM notification_groups WHERE team_id = $1`, [teamId]);
  return new Map(rows.map((r) => [r.group_key, r.state]));
}

async function loadPolicy(client: pg.PoolClient, teamId: string) {
  const { rows } = await client.query<{ notification_policy: unknown }>(`SELECT notification_policy FROM teams WHERE id = $1`, [teamId]);
  return policyFromStored(rows[0]?.notification_policy);
}

async function saveGroups(
  client: pg.PoolClient,
  organizationId: string,
  teamId: string,
  before: ReadonlyMap<string, NotificationGroupState>,
  after: ReadonlyMap<string, NotificationGroupState>,
): Promise<void> {
  const gone = [...before.keys()].filter((k) => !after.has(k));
  if (gone.length > 0) await client.query(`DELETE FROM notification_groups WHERE team_id = $1 AND group_key = ANY($2::text[])`, [teamId, gone]);
  const changed = [...after.values()].filter((g) => JSON.stringify(g) !== JSON.stringify(before.get(g.groupKey)));
  if (changed.length === 0) return;
  await client.query(
    `INSERT INTO notification_groups (organization_id, team_id, group_key, state, updated_at)
     SELECT $1, $2, r.k, r.s, now() FROM json_to_recordset($3::json) AS r(k text, s jsonb)
     ON CONFLICT (team_id, group_key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [organizationId, teamId, JSON.stringify(changed.map((g) => ({ k: g.groupKey, s: g })))],
  );
}
