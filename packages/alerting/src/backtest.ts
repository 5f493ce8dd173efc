import { AlertState } from '@vigil/contracts';
import type { AlertSeverity } from '@vigil/contracts';
import { evaluateRule, instanceSeries, type RuleTransition } from './evaluate.js';
import type { AlertLabels } from './fingerprint.js';
import type { AlertRule } from './rule.js';
import {
  coverageKeyOf,
  hasEnoughLabels,
  isCoveragePoint,
  labelCoverageIndex,
  windowMs,
  type MetricPoint,
} from './series.js';
import type { AlertInstanceState } from './state-machine.js';
import { historyDepth } from './threshold.js';

export interface FiringEpisode {
  readonly fingerprint: string;
  readonly labels: AlertLabels;
  readonly firedAt: number;
  /** When it stopped firing (resolved, or nodata); null if still firing at `now`. */
  readonly resolvedAt: number | null;
  readonly peakSeverity: AlertSeverity;
}

/**
 * The times a backtest evaluates at: the end of every window of the rule (a window is
 * taken as ready when it ends), one tick per window length from the first window end (so gaps
 * reach no-data as a scheduled evaluation would), and `now`.
 */
export function backtestClock(
  rule: AlertRule,
  history: readonly MetricPoint[],
  now: number,
): number[] {
  const length = windowMs(rule.definition.granularity);
  const times = new Set<number>([now]);
  let first = Infinity;
  for (const { points } of instanceSeries(rule.definition, history)) {
    for (const p of points) {
      const end = p.windowStart + length;
      if (end > now) continue;
      times.add(end);
      first = Math.min(first, end);
    }
  }
  for (let t = first; t <= now; t += length) times.add(t);
  return [...times].sort((a, b) => a - b);
}

/**
 * How a (draft) rule would have fired over `history`, by replaying `evaluateRule` at each time
 * of `backtestClock` with the windows that had ended by then — the live evaluator itself, not a
 * second implementation. Each call gets only the new windows plus the trailing points their
 * thresholds look at, so a 30-day replay stays linear. A disabled rule is replayed as enabled.
 */
export function backtest(
  rule: AlertRule,
  history: readonly MetricPoint[],
  now: number,
): FiringEpisode[] {
  const replayed: AlertRule = { id: rule.id, definition: { ...rule.definition, enabled: true } };
  const def = replayed.definition;
  const length = windowMs(def.granularity);
  const keep = historyDepth(def.condition) + 1;
  const coverage = labelCoverageIndex(def, history);
  const coveragePoints = new Map<string, MetricPoint>();
  if (def.minLabelCoverage !== undefined) {
    for (const p of history) if (isCoveragePoint(def, p)) coveragePoints.set(coverageKeyOf(p), p);
  }
  const series = instanceSeries(def, history).map(({ points }) => ({
    points,
    usable: points.map((p) => hasEnoughLabels(def, p, coverage)),
    consumed: 0,
  }));

  let states: ReadonlyMap<string, AlertInstanceState> = new Map();
  const transitions: RuleTransition[] = [];
  for (const t of backtestClock(replayed, history, now)) {
    const batch: MetricPoint[] = [];
    for (const s of series) {
      let end = s.consumed;
      while ((s.points[end]?.windowStart ?? Infinity) + length <= t) end++;
      if (end === s.consumed) continue;
      // Back from the first new window until `keep` usable points: the last evaluated window
      // and the history every new window's threshold reads.
      let from = s.consumed;
      for (let need = keep; from > 0 && need > 0;) {
        from--;
        if (s.usable[from]) need--;
      }
      for (let i = from; i < end; i++) {
        const p = s.points[i];
        if (!p) continue;
        batch.push(p);
        const c = coveragePoints.size > 0 ? coveragePoints.get(coverageKeyOf(p)) : undefined;
        if (c) batch.push(c);
      }
      s.consumed = end;
    }
    const result = evaluateRule(replayed, batch, states, t);
    states = result.instances;
    transitions.push(...result.transitions);
  }
  return episodesFromTransitions(transitions);
}

/** Firing episodes from transitions in time order: an episode runs from → firing to leaving firing. */
export function episodesFromTransitions(transitions: readonly RuleTransition[]): FiringEpisode[] {
  const open = new Map<
    string,
    {
      fingerprint: string;
      labels: AlertLabels;
      firedAt: number;
      resolvedAt: number | null;
      peakSeverity: AlertSeverity;
    }
  >();
  const episodes: FiringEpisode[] = [];
  for (const tr of transitions) {
    const episode = open.get(tr.fingerprint);
    if (tr.to === AlertState.firing && !episode) {
      const started = {
        fingerprint: tr.fingerprint,
        labels: tr.labels,
        firedAt: tr.at,
        resolvedAt: null,
        peakSeverity: tr.severity ?? 'critical',
      };
      open.set(tr.fingerprint, started);
      episodes.push(started);
    } else if (episode && tr.to === AlertState.firing) {
      if (tr.severity === 'critical') episode.peakSeverity = 'critical';
    } else if (episode) {
      episode.resolvedAt = tr.at;
      open.delete(tr.fingerprint);
    }
  }
  return episodes.sort(
    (a, b) =>
      a.firedAt - b.firedAt ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
}
