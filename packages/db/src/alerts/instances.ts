import type pg from 'pg';
import { lockForTransaction, type Executor } from '../executor.js';

/*
 * The alert evaluator's storage: alert instances with their bookkeeping (`alerts`), their
 * transitions (`alert_events`) and each team's notification groups. The evaluator runs in one
 * transaction per workspace under `lockAlertEvaluation`; these functions run on its client.
 */

/** Serialises evaluations of one workspace across every worker process, until the transaction ends. */
export function lockAlertEvaluation(client: pg.PoolClient, organizationId: string): Promise<void> {
  return lockForTransaction(client, `alerts:${organizationId}`);
}

/** An alert instance as stored, times in epoch ms; `evaluation` is the evaluator's own bookkeeping, kept as JSON. */
export interface AlertInstanceRow {
  id: string;
  ruleId: string;
  fingerprint: string;
  labels: { model: string; version: string; column: string; segment: string };
  state: 'ok' | 'pending' | 'firing' | 'resolved' | 'nodata';
  severity: 'warning' | 'critical' | null;
  value: number | null;
  consecutive: number;
  startedAt: number | null;
  lastEvaluatedAt: number | null;
  lastBreachAt: number | null;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  evaluation: Record<string, unknown>;
}

/** A timestamptz(3) column as epoch ms (exact in a float8). */
const ms = (column: string) => `(extract(epoch FROM ${column}) * 1000)::float8`;

/**
 * The instances of the given rules, locked for this transaction (an acknowledgement arriving
 * meanwhile waits, and then applies to what this evaluation wrote).
 */
export async function loadAlertInstances(client: pg.PoolClient, organizationId: string, ruleIds: readonly string[]): Promise<AlertInstanceRow[]> {
  if (ruleIds.length === 0) return [];
  const { rows } = await client.query<AlertInstanceRow>(
    `SELECT id, rule_id AS "ruleId", fingerprint, labels, state, severity, value, consecutive,
            ${ms('started_at')} AS "startedAt", ${ms('last_evaluated_at')} AS "lastEvaluatedAt", ${ms('last_breach_at')} AS "lastBreachAt",
            ${ms('resolved_at')} AS "resolvedAt", ${ms('acknowledged_at')} AS "acknowledgedAt", coalesce(evaluation, '{}') AS evaluation
     FROM alerts WHERE organization_id = $1 AND rule_id = ANY($2::text[]) FOR UPDATE`,
    [organizationId, [...ruleIds]],
  );
  return rows;
}

/** An instance to write: the stored row without its ids, plus the model's project. */
export type AlertInstanceWrite = Omit<AlertInstanceRow, 'id' | 'ruleId'> & { projectId: string | null };

/** Inserts or updates instances of one rule (by fingerprint); returns fingerprint → alert id of each. */
export async function saveAlertInstances(client: pg.PoolClient, organizationId: string, ruleId: string, instances: readonly AlertInstanceWrite[]): Promise<Map<string, string>> {
  if (instances.length === 0) return new Map();
  const { rows: written } = await client.query<{ id: string; fingerprint: string }>(
    `INSERT INTO alerts (organization_id, rule_id, fingerprint, labels, state, severity, value, consecutive, started_at,
                         last_evaluated_at, last_breach_at, resolved_at, acknowledged_at, model_id, project_id, evaluation, updated_at)
     SELECT $1, $2, r.fingerprint, r.labels, r.state, r.severity, r.value, r.consecutive, to_timestamp(r."startedAt" / 1000),
            to_timestamp(r."lastEvaluatedAt" / 1000), to_timestamp(r."lastBreachAt" / 1000), to_timestamp(r."resolvedAt" / 1000),
            to_timestamp(r."acknowledgedAt" / 1000), r.labels->>'model', r."projectId", r.evaluation, now()
     FROM json_to_recordset($3::json) AS r(fingerprint text, labels jsonb, state text, severity text, value float8, consecutive int,
                                           "startedAt" float8, "lastEvaluatedAt" float8, "lastBreachAt" float8, "resolvedAt" float8,
                                           "acknowledgedAt" float8, "projectId" text, evaluation jsonb)
     ON CONFLICT (rule_id, fingerprint) DO UPDATE SET
       labels = EXCLUDED.labels, state = EXCLUDED.state, severity = EXCLUDED.severity, value = EXCLUDED.value,
       consecutive = EXCLUDED.consecutive, started_at = EXCLUDED.started_at, last_evaluated_at = EXCLUDED.last_evaluated_at,
       last_breach_at = EXCLUDED.last_breach_at, resolved_at = EXCLUDED.resolved_at,
       acknowledged_at = EXCLUDED.acknowledged_at,
       acknowledged_by_id = CASE WHEN EXCLUDED.acknowledged_at IS NULL THEN NULL ELSE alerts.acknowledged_by_id END,
       model_id = EXCLUDED.model_id, project_id = EXCLUDED.project_id, evaluation = EXCLUDED.evaluation, updated_at = now()
     WHERE alerts.organization_id = $1
     RETURNING id, fingerprint`,
    [organizationId, ruleId, JSON.stringify(instances)],
  );
  return new Map(written.map((w) => [w.fingerprint, w.id]));
}

/** One state change of an alert instance. */
export interface AlertEventWrite {
  alertId: string | undefined;
  from: string;
  to: string;
  severity: string | null;
  value: number | null;
  details: unknown;
  at: Date;
}

export async function insertAlertEvents(client: pg.PoolClient, organizationId: string, events: readonly AlertEventWrite[]): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO alert_events (organization_id, alert_id, from_state, to_state, severity, value, details, at)
     SELECT $1, r.a, r.f, r.t, r.s, r.v, r.d, r.at FROM json_to_recordset($2::json) AS r(a text, f text, t text, s text, v float8, d jsonb, at timestamptz)`,
    [organizationId, JSON.stringify(events.map((e) => ({ a: e.alertId, f: e.from, t: e.to, s: e.severity, v: e.value, d: e.details, at: e.at.toISOString() })))],
  );
}

/** Records that the instances with these fingerprints were just notified. */
export async function markAlertsNotified(q: Executor, organizationId: string, fingerprints: readonly string[], at: Date): Promise<void> {
  await q.query(`UPDATE alerts SET last_notified_at = $3 WHERE organization_id = $1 AND fingerprint = ANY($2::text[])`, [organizationId, [...fingerprints], at]);
}

/** A team's notification groups (group key → the planner's state, kept as JSON). */
export async function loadNotificationGroups<State>(q: Executor, organizationId: string, teamId: string): Promise<Map<string, State>> {
  const { rows } = await q.query<{ group_key: string; state: State }>(`SELECT group_key, state FROM notification_groups WHERE organization_id = $1 AND team_id = $2`, [
    organizationId,
    teamId,
  ]);
  return new Map(rows.map((r) => [r.group_key, r.state]));
}

/** Removes the `gone` groups and writes the `changed` ones. */
export async function saveNotificationGroups(
  q: Executor,
  organizationId: string,
  teamId: string,
  gone: readonly string[],
  changed: readonly { groupKey: string; state: unknown }[],
): Promise<void> {
  if (gone.length > 0) await q.query(`DELETE FROM notification_groups WHERE organization_id = $1 AND team_id = $2 AND group_key = ANY($3::text[])`, [organizationId, teamId, [...gone]]);
  if (changed.length === 0) return;
  await q.query(
    `INSERT INTO notification_groups (organization_id, team_id, group_key, state, updated_at)
     SELECT $1, $2, r.k, r.s, now() FROM json_to_recordset($3::json) AS r(k text, s jsonb)
     ON CONFLICT (team_id, group_key) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [organizationId, teamId, JSON.stringify(changed.map((g) => ({ k: g.groupKey, s: g.state })))],
  );
}

/** Teams with notification groups: a team whose last rule went still has groups to settle. */
export async function teamsWithNotificationGroups(q: Executor, organizationId: string): Promise<string[]> {
  const { rows } = await q.query<{ team_id: string }>(`SELECT DISTINCT team_id FROM notification_groups WHERE organization_id = $1`, [organizationId]);
  return rows.map((r) => r.team_id);
}
