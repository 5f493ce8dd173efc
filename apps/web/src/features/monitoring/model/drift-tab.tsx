'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge, Table, Td, Th } from '~/components/ui';
import { useTRPC, type RouterOutputs } from '~/trpc/react';
import { binLabel, DistributionChart, type DistributionBin } from '../charts/distribution';
import { Sparkline } from '../charts/sparkline';
import { TimeSeriesChart } from '../charts/time-series';
import { columnLabel, count, num, testLabel } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { useUrlState } from '../use-url-state';
import { MultivariatePanel } from './estimate-panels';
import { columnDriftInput } from './inputs';
import { isBlank, seriesOf, toChart } from './series';
import { useModel, useModelScope } from './use-model';

type Distribution = NonNullable<RouterOutputs['model']['distribution']>;
type DriftRow = RouterOutputs['model']['driftTable']['rows'][number];

/** Bins (or categories) of a distribution as chart bars: reference and current shares. */
export function distributionBins(d: Distribution): DistributionBin[] {
  if (d.kind === 'categorical') {
    const bins = d.categories.map((c, i) => ({ label: c, reference: d.reference?.shares[i] ?? null, current: d.current?.shares[i] ?? null }));
    const otherRef = d.reference?.other ?? 0;
    const otherCur = d.current?.other ?? 0;
    return otherRef > 0.001 || otherCur > 0.001 ? [...bins, { label: 'other', reference: d.reference ? otherRef : null, current: d.current ? otherCur : null }] : bins;
  }
  const bins = d.edges.slice(1).map((hi, i) => ({ label: binLabel(d.edges[i]!, hi), reference: d.reference?.shares[i] ?? null, current: d.current?.shares[i] ?? null }));
  const below = { label: `< ${num(d.edges[0])}`, reference: d.reference?.below ?? null, current: d.current?.below ?? null };
  const above = { label: `> ${num(d.edges.at(-1))}`, reference: d.reference?.above ?? null, current: d.current?.above ?? null };
  return [...((below.reference ?? 0) + (below.current ?? 0) > 0.001 ? [below] : []), ...bins, ...((above.reference ?? 0) + (above.current ?? 0) > 0.001 ? [above] : [])];
}

function Verdict({ row }: { row: DriftRow }) {
  if (row.threshold === null) return <Badge tone="neutral">n/a</Badge>;
  return row.drifted ? <Badge tone="danger">drift</Badge> : <Badge tone="ok">no drift</Badge>;
}

/** One column's distribution against the reference, and its drift score over time. */
function ColumnDetail({ modelId, row }: { modelId: string; row: DriftRow }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const distribution = useQuery({ ...trpc.model.distribution.queryOptions({ ...scope, column: row.column }), refetchInterval: LIVE_REFRESH_MS });
  const history = useQuery({ ...trpc.model.series.queryOptions(columnDriftInput(scope, row.column)), refetchInterval: LIVE_REFRESH_MS });
  return (
    <div className="tab-grid">
      <Panel
        title={`${columnLabel(row.column)}: reference vs current`}
        id="drift-distribution"
        query={distribution}
        isEmpty={(d) => d === null}
        empty={<p>No profile of this column in the range.</p>}
      >
        {(d) => (
          <>
            <DistributionChart bins={distributionBins(d!)} label={`Distribution of ${row.column}, reference against current`} />
            {d!.kind === 'numerical' ? (
              <p className="ui-hint">
                Current: mean {num(d!.current?.stats.mean)}, median {num(d!.current?.stats.p50)}, {count(d!.current?.rows)} values. Reference: mean {num(d!.reference?.stats.mean)}, median{' '}
                {num(d!.reference?.stats.p50)}.{d!.binsFrom === 'current' ? ' Bins from the current values (no reference histogram).' : ''}
              </p>
            ) : (
              <p className="ui-hint">
                Shares of the {d!.categories.length} most frequent categories; {count(d!.current?.rows)} current values.
              </p>
            )}
          </>
        )}
      </Panel>
      <Panel title={`${columnLabel(row.column)}: drift score over time`} id="drift-history" query={history} isEmpty={(d) => isBlank(seriesOf(d, 'drift_score', row.column))} empty={<p>No drift score in this range.</p>}>
        {(d) => (
          <>
            <TimeSeriesChart
              label={`Drift score of ${row.column} over time`}
              bucketMs={seriesOf(d, 'drift_score', row.column)!.bucketMs}
              series={[toChart(seriesOf(d, 'drift_score', row.column)!, `${row.test ? testLabel(row.test) : 'drift'} score`)]}
              thresholds={row.threshold === null ? [] : [{ value: row.threshold, label: `threshold ${num(row.threshold)}` }]}
              yMin={0}
            />
            <p className="ui-hint">{row.scoreKind === 'p_value' ? 'A p-value: drift when it falls below the threshold.' : 'A distance: drift when it reaches the threshold.'}</p>
          </>
        )}
      </Panel>
    </div>
  );
}

/**
 * The multivariate drift (PCA reconstruction error) with its thresholds, and every column's drift verdict in the range — drifted features first — with its score's
 * sparkline; a selected column shows its distribution and score history below.
 */
export function DriftTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const { params, set } = useUrlState();
  useModel(modelId);
  const table = useQuery({ ...trpc.model.driftTable.queryOptions(scope), refetchInterval: LIVE_REFRESH_MS });
  const rows = table.data?.rows ?? [];
  const selected = rows.find((r) => r.column === params.get('column')) ?? rows[0] ?? null;
  const share = table.data?.datasetShare ?? [];
  return (
    <div className="ui-stack">
      <Panel title="Drifted features over time" id="drift-share" query={table} isEmpty={() => share.every((p) => p.value === null)} empty={<p>No dataset drift in this range: drift needs a reference dataset.</p>}>
        {(d) => (
          <TimeSeriesChart
            label="Share of drifted features over time"
            bucketMs={d.range.bucketMs}
            series={[{ id: 'share', label: 'drifted features', points: share }]}
            share
            yMin={0}
            yMax={1}
          />
        )}
      </Panel>
      <MultivariatePanel modelId={modelId} />
      <Panel title="Features" id="drift-features" query={table} isEmpty={(d) => d.rows.length === 0} empty={<p>No drift score in this range. Drift is measured against a reference dataset: upload one or build one from past events in Settings.</p>}>
        {(d) => (
          <Table caption="Drift per column">
            <thead>
              <tr>
                <Th>Column</Th>
                <Th>Test</Th>
                <Th>Score</Th>
                <Th>Threshold</Th>
                <Th>Verdict</Th>
                <Th>Score over the range</Th>
              </tr>
            </thead>
            <tbody>
              {d.rows.map((r) => (
                <tr
                  key={r.column}
                  data-column={r.column}
                  data-drifted={r.drifted}
                  className={r.column === selected?.column ? 'is-selected' : undefined}
                  onClick={() => set({ column: r.column })}
                >
                  <Td>
                    <button type="button" className="link-button" aria-pressed={r.column === selected?.column} onClick={() => set({ column: r.column })}>
                      {columnLabel(r.column)}
                    </button>
                    {r.role !== 'feature' ? <div className="ui-hint">{r.role}</div> : null}
                  </Td>
                  <Td>{testLabel(r.test)}</Td>
                  <Td className="num">{num(r.score)}</Td>
                  <Td className="num">{num(r.threshold)}</Td>
                  <Td>
                    <Verdict row={r} />
                  </Td>
                  <Td>
                    <Sparkline values={r.sparkline.map((p) => p.value)} width={140} label={`${r.column} drift score`} color={r.drifted ? '#c92a2a' : '#3b5bdb'} />
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Panel>
      {selected ? <ColumnDetail modelId={modelId} row={selected} /> : null}
    </div>
  );
}
