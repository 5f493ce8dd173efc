import { MetricName } from '@vigil/contracts';
import { estimateStatesInRange, loadEstimateStates, upsertEstimateStates, type EstimateStateKey, type Executor, type MetricPointInput } from '@vigil/db';
import { mergeWindowStates, windowEstimates, windowStateOf, type EstimateWindowState, type FittedEstimator } from '@vigil/metrics';
import { buildTable, withLabelColumn, type RawRow } from '@vigil/services';
import type { ModelContext } from './model-context.js';
import { windowStartOf, type EventRow, type ProfileGranularity } from './profiles-store.js';
import { windowPointBase, type WindowRef } from './window-metrics.js';

/*
 * The streaming side of the estimates (CBPE, PCA reconstruction error): each slice of events is
 * turned into the mergeable sums of its finest windows (packages/metrics window-state), rolled
 * up into hours and days, merged into the stored sums (table estimate_state) and read back as
 * metric points. Only the whole population (segment '') is estimated.
 */

const keyId = (k: EstimateStateKey) => `${k.granularity}|${k.windowStart}|${k.segment}`;

/** Sums of the events added since the last drain, per finest window (minute, or hour for old events). */
export class EstimateAccumulator {
  private readonly states = new Map<string, { key: EstimateStateKey; events: number; state: EstimateWindowState }>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly minuteHorizon = Number.NEGATIVE_INFINITY,
  ) {}

  get enabled(): boolean {
    return this.ctx.reference?.estimator != null;
  }

  /** Adds a page of events: grouped by finest window, each group's sums merged into the window's. */
  addPage(rows: readonly EventRow[]): void {
    const estimator = this.ctx.reference?.estimator;
    if (!estimator || rows.length === 0) return;
    const groups = new Map<number, { granularity: ProfileGranularity; rows: RawRow[] }>();
    for (const row of rows) {
      const granularity: ProfileGranularity = row.time >= this.minuteHorizon ? 'minute' : 'hour';
      const start = windowStartOf(row.time, granularity);
      let g = groups.get(start);
      if (!g) groups.set(start, (g = { granularity, rows: [] }));
      g.rows.push({ features: row.features, prediction: row.prediction, scores: row.scores, label: null });
    }
    const columns = withLabelColumn(this.ctx.columns);
    for (const [windowStart, g] of groups) {
      const { table, rows: n } = buildTable(columns, g.rows);
      const { state } = windowStateOf(estimator.model, estimator.key, table, n);
      const key: EstimateStateKey = { granularity: g.granularity, windowStart, segment: '' };
      const prev = this.states.get(keyId(key));
      if (prev) {
        prev.state = mergeWindowStates(prev.state, state);
        prev.events += n;
      } else this.states.set(keyId(key), { key, events: n, state });
    }
  }

  /** The finest sums and their roll-ups into hours and days; starts afresh. */
  drain(): { key: EstimateStateKey; events: number; state: EstimateWindowState }[] {
    const out = new Map<string, { key: EstimateStateKey; events: number; state: EstimateWindowState }>();
    for (const item of this.states.values()) {
      for (const g of ['minute', 'hour', 'day'] as const) {
        if (g === 'minute' && item.key.granularity !== 'minute') continue;
        const key: EstimateStateKey = { granularity: g, windowStart: windowStartOf(item.key.windowStart, g), segment: item.key.segment };
        const prev = out.get(keyId(key));
        if (prev) out.set(keyId(key), { key, events: prev.events + item.events, state: mergeWindowStates(prev.state, item.state) });
        else out.set(keyId(key), { key, events: item.events, state: item.state });
      }
    }
    this.states.clear();
    return [...out.values()];
  }
}

/** Merges sums into the stored ones (the caller holds the version's stream lock) and returns them as now stored. */
export async function mergeEstimatesIntoStore(
  client: Executor,
  ctx: ModelContext,
  modelVersionId: string,
  items: { key: EstimateStateKey; events: number; state: EstimateWindowState }[],
): Promise<{ key: EstimateStateKey; events: number; state: EstimateWindowState }[]> {
  if (items.length === 0) return [];
  const owner = { organizationId: ctx.organizationId, projectId: ctx.projectId, modelId: ctx.modelId, modelVersionId };
  const existing = new Map<string, EstimateWindowState>();
  for (const s of await loadEstimateStates(client, owner, items.map((i) => i.key))) existing.set(keyId(s.key), s.state as EstimateWindowState);
  const merged = items.map(({ key, events, state }) => {
    const prev = existing.get(keyId(key));
    const next = prev ? mergeWindowStates(prev, state) : state;
    return { key, events: windowRows(next) ?? events, state: next };
  });
  await upsertEstimateStates(client, owner, merged);
  return merged;
}

function windowRows(s: EstimateWindowState): number | null {
  return s.pca?.rows ?? (s.cbpe ? s.cbpe.rows + s.cbpe.skipped : null);
}

/** The hour and day windows' points of stored sums. */
export function storedEstimatePoints(ctx: ModelContext, modelVersionId: string, stored: { key: EstimateStateKey; state: EstimateWindowState }[]): MetricPointInput[] {
  const points: MetricPointInput[] = [];
  for (const { key, state } of stored) {
    if (key.granularity === 'minute') continue;
    points.push(...estimatePoints(ctx, { modelVersionId, granularity: key.granularity, windowStart: new Date(key.windowStart), segment: key.segment }, state));
  }
  return points;
}

/** The points of one window from the stored sums of a finer granularity over [from, to) (segment '' only). */
export async function estimatePointsInRange(q: Executor, ctx: ModelContext, w: WindowRef, source: ProfileGranularity, from: number, to: number): Promise<MetricPointInput[]> {
  const estimator = ctx.reference?.estimator;
  if (!estimator || w.segment !== '') return [];
  const stored = await estimateStatesInRange(q, { organizationId: ctx.organizationId, modelVersionId: w.modelVersionId, granularity: source, segment: '', from: new Date(from), to: new Date(to) });
  let state: EstimateWindowState | null = null;
  for (const s of stored) {
    const next = s.state as EstimateWindowState;
    if (next.estimator !== estimator.key) continue;
    state = state ? mergeWindowStates(state, next) : next;
  }
  return state ? estimatePoints(ctx, w, state) : [];
}

/**
 * The estimated_* and reconstruction_error points of a window from its sums. `exactRocAuc`
 * (closed windows) replaces the streaming approximation of the estimated ROC AUC.
 */
export function estimatePoints(ctx: ModelContext, w: WindowRef, state: EstimateWindowState, exactRocAuc?: number): MetricPointInput[] {
  const estimator = ctx.reference?.estimator;
  if (!estimator || state.estimator !== estimator.key) return [];
  return pointsOfEstimates(ctx, w, estimator.model, state, exactRocAuc);
}

const ESTIMATED = [
  ['accuracy', MetricName.estimatedAccuracy],
  ['precision', MetricName.estimatedPrecision],
  ['recall', MetricName.estimatedRecall],
  ['f1', MetricName.estimatedF1],
  ['rocAuc', MetricName.estimatedRocAuc],
] as const;

function pointsOfEstimates(ctx: ModelContext, w: WindowRef, model: FittedEstimator, state: EstimateWindowState, exactRocAuc?: number): MetricPointInput[] {
  const e = windowEstimates(model, state, exactRocAuc !== undefined && Number.isFinite(exactRocAuc) ? exactRocAuc : undefined);
  const base = { ...windowPointBase(ctx, w), columnName: '' };
  const points: MetricPointInput[] = [];
  if (e.performance) {
    const p = e.performance;
    for (const [key, metric] of ESTIMATED) {
      const v = p.values[key];
      if (!Number.isFinite(v.value)) continue;
      const details = {
        samplingError: v.samplingError,
        lower: v.lower,
        upper: v.upper,
        thresholdLower: v.thresholdLower,
        thresholdUpper: v.thresholdUpper,
        rows: p.rows,
        task: model.cbpe!.task,
        ...(key === 'rocAuc' ? { maxError: p.rocAucMaxError } : {}),
      };
      points.push({ ...base, metric, value: v.value, details });
    }
  }
  if (e.reconstruction && Number.isFinite(e.reconstruction.error)) {
    const r = e.reconstruction;
    points.push({ ...base, metric: MetricName.reconstructionError, value: r.error, details: { lower: r.lower, upper: r.upper, drifted: r.drifted, samplingError: r.samplingError, rows: r.rows } });
  }
  return points;
}
