import type { AlertInstanceSnapshot, AlertInstanceState, RuleTransition } from '@vigil/alerting';
import type { AlertLabels } from '@vigil/alerting';
import type pg from 'pg';

/** The evaluator's bookkeeping kept in `alerts.evaluation`. */
type Evaluation = Pick<AlertInstanceState, 'lastEvaluatedWindow' | 'lastBreachWindow' | 'lastDataWindow' | 'noDataSince' | 'lastInput' | 'beforeLastWindow'>;

interface AlertRow {
  id: string;
  rule_id: string;
  fingerprint: string;
  labels: AlertLabels;
  state: AlertInstanceState['state'];
  severity: AlertInstanceState['severity'];
  value: number | null;
  consecutive: number;
  started_at: Date | null;
  last_evaluated_at: Date | null;
  last_breach_at: Date | null;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  evaluation: Partial<Evaluation>;
}

const ms = (d: Date | null) => (d ? d.getTime() : null);

function toState(r: AlertRow): AlertInstanceState {
  const e = r.evaluation ?? {};
  return {
    fingerprint: r.fingerprint,
    labels: r.labels,
    state: r.state,
    severity: r.severity,
    value: r.value,
    consecutive: r.consecutive,
    startedAt: ms(r.started_at),
    lastEvaluatedAt: ms(r.last_evaluated_at),
    lastBreachAt: ms(r.last_breach_at),
    resolvedAt: ms(r.resolved_at),
    acknowledgedAt: ms(r.acknowledged_at),
    lastEvaluatedWindow: e.lastEvaluatedWindow ?? null,
    lastBreachWindow: e.lastBreachWindow ?? null,
    lastDataWindow: e.lastDataWindow ?? null,
    noDataSince: e.noDataSince ?? null,
    lastInput: e.lastInput ?? null,
    beforeLastWindow: (e.beforeLastWindow as AlertInstanceSnapshot | null | undefined) ?? null,
  };
}

export interface StoredInstances {
  /** rule id → fingerprint → state */
  byRule: Map<string, Map<string, AlertInstanceState>>;
  /** `${ruleId} ${fingerprint}` → alert id */
  ids: Map<string, string>;
}

/**
 * The instances of the given rules, locked for this transaction (an acknowledgement arriving
 * meanwhile waits, and then applies to what this evaluation wrote).
 */
export async function loadInstances(client: pg.PoolClient, organizationId: string, ruleIds: string[]): Promise<StoredInstances> {
  const byRule = new Map<string, Map<string, AlertInstanceState>>(ruleIds.map((id) => [id, new Map()]));
  const ids = new Map<string, string>();
  if (ruleIds.length === 0) return { byRule, ids };
  const { rows } = await client.query<AlertRow>(
    `SELECT id, rule_id, fingerprint, labels, state, severity, value, consecutive, started_at, last_evaluated_at, last_breach_at,
            resolved_at, acknowledged_at, evaluation
     FROM alerts WHERE organization_id = $1 AND rule_id = ANY($2::text[]) FOR UPDATE`,
    [organizationId, ruleIds],
  );
  for (const r of rows) {
    byRule.get(r.rule_id)!.set(r.fingerprint, toState(r));
    ids.set(`${r.rule_id} ${r.fingerprint}`, r.id);
  }
  return { byRule, ids };
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * Writes the instances that changed (or are new) and one alert_event per transition.
 * `models` maps model id → project id, for the instances' project column.
 */
export async function saveInstances(
  client: pg.PoolClient,
  organizationId: string,
  ruleId: string,
  before: ReadonlyMap<string, AlertInstanceState>,
  after: ReadonlyMap<string, AlertInstanceState>,
  transitions: readonly RuleTransition[],
  projectOfModel: ReadonlyMap<string, string>,
  ids: Map<string, string>,
): Promise<void> {
  const changed = [...after.values()].filter((s) => JSON.stringify(s) !== JSON.stringify(before.get(s.fingerprint)));
  if (changed.length > 0) {
    const rows = changed.map((s) => ({
      f: s.fingerprint,
      l: s.labels,
      st: s.state,
      sev: s.severity,
      v: s.value,
      c: s.consecutive,
      sa: iso(s.startedAt),
      le: iso(s.lastEvaluatedAt),
      lb: iso(s.lastBreachAt),
      ra: iso(s.resolvedAt),
      aa: iso(s.acknowledgedAt),
      m: s.labels.model,
      p: projectOfModel.get(s.labels.model) ?? null,
      e: {
        lastEvaluatedWindow: s.lastEvaluatedWindow,
        lastBreachWindow: s.lastBreachWindow,
        lastDataWindow: s.lastDataWindow,
        noDataSince: s.noDataSince,
        lastInput: s.lastInput,
        beforeLastWindow: s.beforeLastWindow,
      },
    }));
    const { rows: written } = await client.query<{ id: string; fingerprint: string }>(
      `INSERT INTO alerts (organization_id, rule_id, fingerprint, labels, state, severity, value, consecutive, started_at,
                           last_evaluated_at, last_breach_at, resolved_at, acknowledged_at, model_id, project_id, evaluation, updated_at)
       SELECT $1, $2, r.f, r.l, r.st, r.sev, r.v, r.c, r.sa, r.le, r.lb, r.ra, r.aa, r.m, r.p, r.e, now()
       FROM json_to_recordset($3::json) AS r(f text, l jsonb, st text, sev text, v float8, c int, sa timestamptz, le timestamptz,
                                             lb timestamptz, ra timestamptz, aa timestamptz, m text, p text, e jsonb)
       ON CONFLICT (rule_id, fingerprint) DO UPDATE SET
         labels = EXCLUDED.labels, state = EXCLUDED.state, severity = EXCLUDED.severity, value = EXCLUDED.value,
         consecutive = EXCLUDED.consecutive, started_at = EXCLUDED.started_at, last_evaluated_at = EXCLUDED.last_evaluated_at,
         last_breach_at = EXCLUDED.last_breach_at, resolved_at = EXCLUDED.resolved_at,
         acknowledged_at = EXCLUDED.acknowledged_at,
         acknowledged_by_id = CASE WHEN EXCLUDED.acknowledged_at IS NULL THEN NULL ELSE alerts.acknowledged_by_id END,
         model_id = EXCLUDED.model_id, project_id = EXCLUDED.project_id, evaluation = EXCLUDED.evaluation, updated_at = now()
       RETURNING id, fingerprint`,
      [organizationId, ruleId, JSON.stringify(rows)],
    );
    for (const w of written) ids.set(`${ruleId} ${w.fingerprint}`, w.id);
  }
  if (transitions.length > 0) {
    const events = transitions.map((t) => ({
      a: ids.get(`${ruleId} ${t.fingerprint}`),
      f: t.from,
      t: t.to,
      s: t.severity,
      v: t.value,
      d: { windowStart: iso(t.windowStart), threshold: t.threshold, observed: t.observed },
      at: new Date(t.at).toISOString(),
    }));
    await client.query(
      `INSERT INTO alert_events (organization_id, alert_id, from_state, to_state, severity, value, details, at)
       SELECT $1, r.a, r.f, r.t, r.s, r.v, r.d, r.at FROM json_to_recordset($2::json) AS r(a text, f text, t text, s text, v float8, d jsonb, at timestamptz)`,
      [organizationId, JSON.stringify(events)],
    );
  }
}
