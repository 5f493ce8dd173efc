import type { AlertInstanceSnapshot, AlertInstanceState, RuleTransition } from '@vigil/alerting';
import { insertAlertEvents, loadAlertInstances, saveAlertInstances, type AlertInstanceRow } from '@vigil/db';
import type pg from 'pg';

/*
 * Alert instances between the evaluator's state (`@vigil/alerting`) and their stored rows: the
 * state's bookkeeping travels in the row's `evaluation` JSON.
 */

/** The evaluator's bookkeeping kept in `alerts.evaluation`. */
type Evaluation = Pick<AlertInstanceState, 'lastEvaluatedWindow' | 'lastBreachWindow' | 'lastDataWindow' | 'noDataSince' | 'lastInput' | 'beforeLastWindow'>;

function toState({ id: _id, ruleId: _ruleId, evaluation, ...stored }: AlertInstanceRow): AlertInstanceState {
  const e = evaluation as Partial<Evaluation>;
  return {
    ...stored,
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
  for (const r of await loadAlertInstances(client, organizationId, ruleIds)) {
    byRule.get(r.ruleId)!.set(r.fingerprint, toState(r));
    ids.set(`${r.ruleId} ${r.fingerprint}`, r.id);
  }
  return { byRule, ids };
}

/**
 * Writes the instances that changed (or are new) and one alert_event per transition.
 * `projectOfModel` maps model id → project id, for the instances' project column.
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
  const written = await saveAlertInstances(
    client,
    organizationId,
    ruleId,
    changed.map(({ lastEvaluatedWindow, lastBreachWindow, lastDataWindow, noDataSince, lastInput, beforeLastWindow, ...stored }) => ({
      ...stored,
      projectId: projectOfModel.get(stored.labels.model) ?? null,
      evaluation: { lastEvaluatedWindow, lastBreachWindow, lastDataWindow, noDataSince, lastInput, beforeLastWindow },
    })),
  );
  for (const [fingerprint, id] of written) ids.set(`${ruleId} ${fingerprint}`, id);
  await insertAlertEvents(
    client,
    organizationId,
    transitions.map((t) => ({
      alertId: ids.get(`${ruleId} ${t.fingerprint}`),
      from: t.from,
      to: t.to,
      severity: t.severity,
      value: t.value,
      details: { windowStart: t.windowStart === null ? null : new Date(t.windowStart).toISOString(), threshold: t.threshold, observed: t.observed },
      at: new Date(t.at),
    })),
  );
}
