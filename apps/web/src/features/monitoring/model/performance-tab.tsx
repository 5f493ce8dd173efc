'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { ConfusionHeatmap } from '../charts/heatmap';
import { TimeSeriesChart } from '../charts/time-series';
import { bucketLabel, count, metricLabel, shortDuration } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { useUrlState } from '../use-url-state';
import { EstimatePanel } from './estimate-panels';
import { CLASSIFICATION_METRICS, performanceSeriesInput, REGRESSION_METRICS } from './inputs';
import { isBlank, seriesOf, toChart } from './series';
import { useModel, useModelScope } from './use-model';

/**
 * For classifiers, the estimated performance (CBPE) with its band and the realized metric on top;
 * the task's metrics over time (hollow points: fewer than 30 labels), label coverage and delay,
 * and a chosen day's confusion matrix for classifiers.
 */
export function PerformanceTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const { header } = useModel(modelId);
  const { params, set } = useUrlState();
  const h = header.data;
  const regression = h?.status.family === 'regression';
  const series = useQuery({ ...trpc.model.series.queryOptions(performanceSeriesInput(h, scope)), refetchInterval: LIVE_REFRESH_MS, enabled: !!h });
  const windowStart = params.get('window') ?? undefined;
  const matrix = useQuery({
    ...trpc.model.confusionMatrix.queryOptions({ modelId, ...(scope.versionId ? { versionId: scope.versionId } : {}), granularity: 'day', ...(windowStart ? { windowStart } : {}) }),
    enabled: !!h && !regression,
  });
  const metrics = regression ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
  const dayStarts = (seriesOf(series.data, metrics[0]!)?.points ?? []).filter((p) => p.value !== null).map((p) => Math.floor(p.t / 86_400_000) * 86_400_000);
  const days = [...new Set(dayStarts)].sort((a, b) => b - a);
  return (
    <div className="ui-stack">
      {h && !regression ? <EstimatePanel modelId={modelId} /> : null}
      <div className="tab-grid">
        {metrics.map((m) => (
          <Panel key={m} title={metricLabel(m)} query={series} isEmpty={(d) => isBlank(seriesOf(d, m))} empty={<p>No labelled windows in this range yet.</p>}>
            {(d) => (
              <TimeSeriesChart
                label={`${metricLabel(m)} over time`}
                bucketMs={seriesOf(d, m)!.bucketMs}
                series={[toChart(seriesOf(d, m)!, metricLabel(m))]}
                share={m === 'mape'}
                height={190}
              />
            )}
          </Panel>
        ))}
        <Panel title="Label coverage" query={series} isEmpty={(d) => isBlank(seriesOf(d, 'label_coverage'))} empty={<p>No labels in this range yet.</p>}>
          {(d) => (
            <TimeSeriesChart label="Label coverage over time" bucketMs={seriesOf(d, 'label_coverage')!.bucketMs} series={[toChart(seriesOf(d, 'label_coverage')!, 'label coverage')]} share yMin={0} yMax={1} height={190} />
          )}
        </Panel>
        <Panel title="Label delay" query={series} isEmpty={(d) => isBlank(seriesOf(d, 'label_delay_seconds'))} empty={<p>No labels sent after their predictions in this range.</p>}>
          {(d) => (
            <TimeSeriesChart
              label="Mean delay from prediction to label"
              bucketMs={seriesOf(d, 'label_delay_seconds')!.bucketMs}
              series={[toChart(seriesOf(d, 'label_delay_seconds')!, 'mean delay')]}
              format={shortDuration}
              yMin={0}
              height={190}
            />
          )}
        </Panel>
      </div>
      {regression ? null : (
        <Panel
          title="Confusion matrix"
          id="confusion-matrix"
          query={matrix}
          isEmpty={(m) => m === null}
          empty={<p>No day with labels yet: the matrix of a day appears once its labels arrive.</p>}
          actions={
            days.length > 0 ? (
              <select className="ui-input ui-select" aria-label="Day" value={windowStart ?? ''} onChange={(e) => set({ window: e.target.value || null })}>
                <option value="">newest day</option>
                {days.map((d) => (
                  <option key={d} value={new Date(d).toISOString()}>
                    {bucketLabel(d, 86_400_000)}
                  </option>
                ))}
              </select>
            ) : null
          }
        >
          {(m) => (
            <>
              <ConfusionHeatmap labels={m!.labels} matrix={m!.matrix} label={`Confusion matrix of ${bucketLabel(m!.windowStart, 86_400_000)}`} />
              <p className="ui-hint">
                {bucketLabel(m!.windowStart, 86_400_000)} (UTC day): {count(m!.rows)} labelled predictions; rows are the true labels, columns the predictions.
              </p>
            </>
          )}
        </Panel>
      )}
    </div>
  );
}
