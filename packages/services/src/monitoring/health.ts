import type { HealthLevel } from '@vigil/contracts';

/*
 * A model's health at a glance: the worst of what its newest complete hour says about drift and
 * data quality, what its newest labelled days say about performance, its alerts, and whether it
 * still reports. Each part that is not fine comes with its reason in words.
 */

export interface HealthInput {
  now: number;
  /** Newest event time (epoch ms), null when it never reported. */
  lastEventAt: number | null;
  drift: { driftedColumns: string[]; columns: number; datasetDrift: boolean } | null;
  /** The headline metric's newest value against the mean of the days before it. */
  performance: { metric: string; value: number; baseline: number | null; higherIsBetter: boolean } | null;
  /** The worst data-quality share of the window, with its metric and column. */
  quality: { metric: string; column: string; value: number } | null;
  alerts: { firing: number; pending: number; critical: number };
}

export interface HealthReason {
  kind: 'volume' | 'drift' | 'performance' | 'quality' | 'alerts';
  level: Exclude<HealthLevel, 'ok'>;
  text: string;
}

export interface Health {
  level: HealthLevel;
  reasons: HealthReason[];
}

/** A model that has not reported for this long is shown as having no data. */
export const STALE_AFTER_MS = 24 * 3_600_000;
/** Relative loss of the headline metric against its baseline: warning, then critical. */
export const PERFORMANCE_DROP = { warning: 0.05, critical: 0.15 } as const;
/** Shares of missing, out-of-range, new-category or mistyped values: warning, then critical. */
export const QUALITY_SHARE = { warning: 0.05, critical: 0.25 } as const;

const RANK: Record<HealthLevel, number> = { critical: 0, warning: 1, nodata: 2, ok: 3 };

/** The worse of two levels. */
export const worse = (a: HealthLevel, b: HealthLevel): HealthLevel => (RANK[a] <= RANK[b] ? a : b);

const QUALITY_WORDS: Record<string, string> = {
  missing_share: 'missing',
  out_of_range_share: 'out of the reference range',
  new_category_share: 'new categories',
  type_mismatch_share: 'of the wrong type',
};

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));

function ago(ms: number): string {
  const h = ms / 3_600_000;
  return h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`;
}

export function modelHealth(h: HealthInput): Health {
  const reasons: HealthReason[] = [];
  if (h.lastEventAt === null) {
    reasons.push({ kind: 'volume', level: 'nodata', text: 'no predictions yet' });
  } else if (h.now - h.lastEventAt > STALE_AFTER_MS) {
    reasons.push({ kind: 'volume', level: 'nodata', text: `no predictions for ${ago(h.now - h.lastEventAt)}` });
  }
  if (h.alerts.firing > 0) {
    const n = h.alerts.firing;
    reasons.push({ kind: 'alerts', level: h.alerts.critical > 0 ? 'critical' : 'warning', text: `${n} alert${n === 1 ? '' : 's'} firing` });
  }
  if (h.drift && h.drift.driftedColumns.length > 0) {
    const { driftedColumns: d, columns } = h.drift;
    const names = d.slice(0, 3).join(', ') + (d.length > 3 ? ` and ${d.length - 3} more` : '');
    reasons.push({
      kind: 'drift',
      level: h.drift.datasetDrift ? 'critical' : 'warning',
      text: `${h.drift.datasetDrift ? 'dataset drift: ' : ''}${d.length} of ${columns} features drifted (${names})`,
    });
  }
  if (h.performance && h.performance.baseline !== null && h.performance.baseline !== 0) {
    const { metric, value, baseline, higherIsBetter } = h.performance;
    const loss = (higherIsBetter ? baseline - value : value - baseline) / Math.abs(baseline);
    if (loss >= PERFORMANCE_DROP.warning) {
      reasons.push({
        kind: 'performance',
        level: loss >= PERFORMANCE_DROP.critical ? 'critical' : 'warning',
        text: `${metric} ${num(value)}, ${higherIsBetter ? 'down' : 'up'} ${pct(loss)} on the days before (${num(baseline)})`,
      });
    }
  }
  if (h.quality && h.quality.value >= QUALITY_SHARE.warning) {
    const { metric, column, value } = h.quality;
    reasons.push({
      kind: 'quality',
      level: value >= QUALITY_SHARE.critical ? 'critical' : 'warning',
      text: `${pct(value)} of ${column} ${QUALITY_WORDS[metric] ?? metric}`,
    });
  }
  reasons.sort((a, b) => RANK[a.level] - RANK[b.level]);
  return { level: reasons.reduce<HealthLevel>((l, r) => worse(l, r.level), 'ok'), reasons };
}
