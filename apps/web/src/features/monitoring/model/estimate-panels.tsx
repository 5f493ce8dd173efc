'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge } from '~/components/ui';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { BandChart, fillBuckets, type BandDatum } from '../charts/band-chart';
import { bucketLabel, count, metricLabel, num, pct } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { useUrlState } from '../use-url-state';
import { estimateInput, estimateMetricOf, type EstimateMetric } from './inputs';
import { useModelScope } from './use-model';

type Estimate = RouterOutputs['model']['performanceEstimate'];
type Multivariate = RouterOutputs['model']['multivariateDrift'];
type EstimatePoint = Estimate['points'][number];

const METRIC_CHOICES: { metric: EstimateMetric; label: string }[] = [
  { metric: 'estimated_f1', label: 'F1' },
  { metric: 'estimated_accuracy', label: 'Accuracy' },
  { metric: 'estimated_precision', label: 'Precision' },
  { metric: 'estimated_recall', label: 'Recall' },
  { metric: 'estimated_roc_auc', label: 'ROC AUC' },
];

const range = (lo: number | null | undefined, hi: number | null | undefined) => (lo === null || lo === undefined || hi === null || hi === undefined ? null : `${num(lo)}–${num(hi)}`);

/** The newest estimate with its band, and what the labels say of that window. */
export function EstimateHeadline({ e }: { e: Estimate }) {
  const p = e.latest;
  if (!p) return null;
  const band = range(p.lower, p.upper);
  return (
    <div className="chart-headline" data-testid="estimate-headline">
      <span className="ui-hint">{metricLabel(e.metric)}</span>
      <strong>{num(p.value)}</strong>
      {band ? <span>band {band}</span> : null}
      <span className="ui-hint">{bucketLabel(p.t, e.bucketMs)} UTC</span>
      {p.realized === null ? (
        <Badge tone="neutral">no labels yet</Badge>
      ) : (
        <span>
          realized {metricLabel(e.realizedMetric)} {num(p.realized)} on {count(p.labels)} labels
        </span>
      )}
    </div>
  );
}

function estimateTooltip(e: Estimate, byT: Map<number, EstimatePoint>) {
  return (d: BandDatum) => {
    const p = byT.get(d.t);
    if (!p) return <div>no estimate</div>;
    const band = range(p.lower, p.upper);
    const reference = range(p.thresholdLower, p.thresholdUpper);
    return (
      <>
        <div>estimated (CBPE): {num(p.value)}</div>
        {band ? <div>band ±3 SE: {band}</div> : null}
        <div>
          realized: {p.realized === null ? 'no labels yet' : `${num(p.realized)}${p.provisional ? ' (few labels)' : ''}`}
        </div>
        <div>label coverage: {p.labelCoverage === null ? (p.labels ? `${count(p.labels)} labels` : '0 %') : pct(p.labelCoverage)}</div>
        {reference ? <div>reference band: {reference}</div> : null}
      </>
    );
  };
}

/** The estimate over time: its band shaded, the reference band dashed, the realized metric on top. */
export function EstimateChart({ e, height = 240 }: { e: Estimate; height?: number }) {
  const byT = new Map(e.points.map((p) => [p.t, p]));
  const data = fillBuckets(
    e.points.map((p) => ({
      t: p.t,
      value: p.value,
      lower: p.lower,
      upper: p.upper,
      refLower: p.thresholdLower,
      refUpper: p.thresholdUpper,
      overlay: p.realized,
      overlayProvisional: p.provisional,
    })),
    e.range.from,
    e.range.to,
    e.bucketMs,
  );
  return (
    <BandChart
      testId="estimate-chart"
      label={`${metricLabel(e.metric)} over time with its band, against the realized ${metricLabel(e.realizedMetric)}`}
      data={data}
      bucketMs={e.bucketMs}
      height={height}
      legend={{ value: 'estimated (CBPE)', band: 'band ±3 SE', overlay: 'realized', reference: 'reference band' }}
      tooltip={estimateTooltip(e, byT)}
    />
  );
}

const hasEstimate = (e: Estimate) => e.points.some((p) => p.value !== null);

/**
 * The performance tab's estimate panel: the chosen metric (the URL's `estimate`, default F1)
 * estimated before labels arrive, with the realized metric on top as they do.
 */
export function EstimatePanel({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const { params, set } = useUrlState();
  const metric = estimateMetricOf(params.get('estimate'));
  const estimate = useQuery({ ...trpc.model.performanceEstimate.queryOptions(estimateInput(scope, metric)), refetchInterval: LIVE_REFRESH_MS });
  return (
    <Panel
      title="Estimated performance (CBPE)"
      id="performance-estimate"
      query={estimate}
      isEmpty={(e) => !hasEstimate(e)}
      empty={
        <p>
          No estimate in this range. Vigil estimates a classifier’s performance before labels arrive when its reference dataset has labels and scores (see
          docs/metrics.md).
        </p>
      }
      actions={
        <select className="ui-input ui-select" aria-label="Estimated metric" value={metric} onChange={(ev) => set({ estimate: ev.target.value === 'estimated_f1' ? null : ev.target.value })}>
          {METRIC_CHOICES.map((c) => (
            <option key={c.metric} value={c.metric}>
              {c.label}
            </option>
          ))}
        </select>
      }
    >
      {(e) => (
        <>
          <EstimateHeadline e={e} />
          <EstimateChart e={e} />
          <p className="ui-hint">
            The estimate assumes the model’s scores stay calibrated and the relation between features and labels does not change (no concept drift); the realized
            value is drawn where labels have arrived.
          </p>
        </>
      )}
    </Panel>
  );
}

/** The estimated F1 over the range, asked only when `enabled` (the overview tab, when no labels have arrived). */
export function useEstimateFallback(modelId: string, enabled: boolean) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const estimate = useQuery({ ...trpc.model.performanceEstimate.queryOptions(estimateInput(scope, 'estimated_f1')), refetchInterval: LIVE_REFRESH_MS, enabled });
  return enabled && estimate.data && hasEstimate(estimate.data) ? estimate.data : null;
}

function multivariateTooltip(m: Multivariate) {
  const byT = new Map(m.points.map((p) => [p.t, p]));
  return (d: BandDatum) => {
    const p = byT.get(d.t);
    if (!p) return <div>no data</div>;
    const thresholds = range(p.lower, p.upper);
    return (
      <>
        <div>reconstruction error: {num(p.value)}</div>
        {thresholds ? <div>thresholds: {thresholds}</div> : null}
        <div>{p.drifted ? `drifted (${p.driftedWindows} of ${p.windows} windows)` : p.windows > 1 ? `within thresholds (${p.windows} windows)` : 'within thresholds'}</div>
      </>
    );
  };
}

/** The drift tab's multivariate chart: the PCA reconstruction error with its thresholds, drifted windows marked. */
export function MultivariatePanel({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const drift = useQuery({ ...trpc.model.multivariateDrift.queryOptions(scope), refetchInterval: LIVE_REFRESH_MS });
  return (
    <Panel
      title="Multivariate drift (PCA reconstruction error)"
      id="multivariate-drift"
      query={drift}
      isEmpty={(m) => m.points.length === 0}
      empty={<p>No multivariate drift in this range: it is measured against a reference dataset once the reference profile is built.</p>}
    >
      {(m) => {
        const latest = m.latest!;
        const drifted = m.points.filter((p) => p.drifted).length;
        return (
          <>
            <div className="chart-headline" data-testid="multivariate-headline">
              <span className="ui-hint">Reconstruction error</span>
              <strong>{num(latest.value)}</strong>
              {range(latest.lower, latest.upper) ? <span>thresholds {range(latest.lower, latest.upper)}</span> : null}
              <span className="ui-hint">{bucketLabel(latest.t, m.bucketMs)} UTC</span>
              {latest.drifted ? <Badge tone="danger">drift</Badge> : <Badge tone="ok">no drift</Badge>}
              <span className="ui-hint">
                {drifted} of {m.points.length} {m.bucketMs >= 86_400_000 ? 'days' : m.bucketMs > 3_600_000 ? 'buckets' : 'hours'} drifted in the range
              </span>
            </div>
            <BandChart
              testId="multivariate-chart"
              label="PCA reconstruction error over time, with its thresholds; drifted windows marked"
              data={fillBuckets(
                m.points.map((p) => ({ t: p.t, value: p.value, refLower: p.lower, refUpper: p.upper, flagged: p.drifted })),
                m.range.from,
                m.range.to,
                m.bucketMs,
              )}
              bucketMs={m.bucketMs}
              legend={{ value: 'reconstruction error', reference: 'thresholds (reference mean ± 3 std)', flagged: 'drifted' }}
              tooltip={multivariateTooltip(m)}
            />
            <p className="ui-hint">
              How well the reference’s principal components rebuild the current rows: an error outside the thresholds means the features no longer move together as
              they did, even when each one alone looks unchanged.
            </p>
          </>
        );
      }}
    </Panel>
  );
}
