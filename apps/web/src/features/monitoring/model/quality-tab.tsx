'use client';

import { useQuery } from '@tanstack/react-query';
import { Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';
import { TimeSeriesChart } from '../charts/time-series';
import { columnLabel, metricLabel, pct } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { QUALITY_METRICS, qualitySeriesInput } from './inputs';
import { peak, toChart, type SeriesResult } from './series';
import { useModelScope } from './use-model';

/** Columns charted per metric: the ones that reached the highest share. */
const TOP = 6;

const EXPLAIN: Record<string, string> = {
  missing_share: 'Values that were null or absent.',
  out_of_range_share: 'Numbers outside the reference’s range.',
  new_category_share: 'Categories the reference never had.',
  type_mismatch_share: 'Values of another type than the column’s (a string in a numerical column).',
};

function worst(d: SeriesResult, metric: string) {
  return d.series
    .filter((s) => s.metric === metric)
    .map((s) => ({ s, peak: peak(s) }))
    .filter((x) => x.peak > 0)
    .sort((a, b) => b.peak - a.peak);
}

/** Missing, out-of-range, new-category and mistyped shares per column over time, the worst columns charted. */
export function QualityTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const series = useQuery({ ...trpc.model.series.queryOptions(qualitySeriesInput(scope)), refetchInterval: LIVE_REFRESH_MS });
  return (
    <div className="ui-stack">
      <div className="tab-grid">
        {QUALITY_METRICS.map((metric) => (
          <Panel
            key={metric}
            title={metricLabel(metric)}
            query={series}
            isEmpty={(d) => worst(d, metric).length === 0}
            empty={
              <p>
                {EXPLAIN[metric]} None in this range{metric === 'out_of_range_share' || metric === 'new_category_share' ? ' (measured against the reference)' : ''}.
              </p>
            }
          >
            {(d) => {
              const top = worst(d, metric).slice(0, TOP);
              return (
                <>
                  <TimeSeriesChart
                    label={`${metricLabel(metric)} per column over time`}
                    bucketMs={top[0]!.s.bucketMs}
                    series={top.map((x) => toChart(x.s, columnLabel(x.s.column)))}
                    share
                    yMin={0}
                    height={200}
                  />
                  <p className="ui-hint">{EXPLAIN[metric]}</p>
                </>
              );
            }}
          </Panel>
        ))}
      </div>
      <Panel title="Columns" query={series} isEmpty={(d) => d.series.length === 0} empty={<p>No data-quality points in this range.</p>}>
        {(d) => {
          const columns = [...new Set(d.series.map((s) => s.column))].sort();
          const at = (metric: string, column: string) => {
            const s = d.series.find((x) => x.metric === metric && x.column === column);
            return s ? peak(s) : null;
          };
          return (
            <Table caption="Highest share per column in the range">
              <thead>
                <tr>
                  <Th>Column</Th>
                  {QUALITY_METRICS.map((m) => (
                    <Th key={m}>{metricLabel(m)} (max)</Th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {columns.map((c) => (
                  <tr key={c} data-column={c}>
                    <Td>{columnLabel(c)}</Td>
                    {QUALITY_METRICS.map((m) => {
                      const v = at(m, c);
                      return (
                        <Td key={m} className={v !== null && v >= 0.05 ? 'num bad' : 'num'}>
                          {v === null || !Number.isFinite(v) ? '—' : pct(v)}
                        </Td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </Table>
          );
        }}
      </Panel>
    </div>
  );
}
