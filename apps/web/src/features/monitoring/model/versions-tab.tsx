'use client';

import { useQuery } from '@tanstack/react-query';
import { Notice, Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';
import { TimeSeriesChart } from '../charts/time-series';
import { count, metricLabel, num, pct } from '../format';
import { Panel } from '../panel';
import { useUrlState } from '../use-url-state';
import { versionsCompareInput } from './inputs';
import { useModel } from './use-model';

/** Two versions side by side: totals over the range and their series overlaid. */
export function VersionsTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const { header } = useModel(modelId);
  const { params, set, time } = useUrlState();
  const versions = header.data?.model.versions ?? [];
  const input = versionsCompareInput(header.data, modelId, time, (k) => params.get(k) ?? undefined);
  const a = input?.a;
  const b = input?.b;
  const compare = useQuery({ ...trpc.model.compareVersions.queryOptions(input ?? { modelId, a: '', b: '', time }), enabled: !!input });
  if (versions.length < 2) {
    return <Notice tone="info">This model has one version ({versions[0]?.name ?? 'none yet'}). Send predictions with another `version` to compare them here.</Notice>;
  }
  const pick = (which: 'a' | 'b', value: string | undefined) => (
    <select className="ui-input ui-select" aria-label={`Version ${which.toUpperCase()}`} value={value} onChange={(e) => set({ [which]: e.target.value })}>
      {versions.map((v) => (
        <option key={v.id} value={v.id}>
          {v.name}
        </option>
      ))}
    </select>
  );
  return (
    <div className="ui-stack">
      <div className="ui-row">
        {pick('a', a)} <span className="ui-muted">against</span> {pick('b', b)}
      </div>
      <Panel title="Side by side" id="versions" query={compare} empty={null}>
        {(d) => {
          const rows: [string, (s: typeof d.a) => string][] = [
            ['Predictions', (s) => count(s.predictions)],
            ['Drifted features (mean)', (s) => pct(s.driftedShare, 0)],
            ['Missing values (mean)', (s) => pct(s.missingShare)],
            ['Label coverage (mean)', (s) => pct(s.labelCoverage, 0)],
            [d.headline ? `${metricLabel(d.headline.metric)} (mean)` : 'Performance', (s) => num(s.headline)],
          ];
          return (
            <>
              <Table caption="Two versions side by side">
                <thead>
                  <tr>
                    <Th />
                    <Th>{d.a.name}</Th>
                    <Th>{d.b.name}</Th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(([label, f]) => (
                    <tr key={label}>
                      <Td>{label}</Td>
                      <Td className="num">{f(d.a)}</Td>
                      <Td className="num">{f(d.b)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <div className="tab-grid" style={{ marginTop: 16 }}>
                {['prediction_count', d.headline?.metric].filter((m): m is string => !!m).map((m) => {
                  const sa = d.a.series.find((s) => s.metric === m);
                  const sb = d.b.series.find((s) => s.metric === m);
                  if (!sa || !sb) return null;
                  return (
                    <div key={m}>
                      <h3 className="chart-title">{metricLabel(m)}</h3>
                      <TimeSeriesChart
                        label={`${metricLabel(m)} of both versions`}
                        bucketMs={sa.bucketMs}
                        series={[
                          { id: 'a', label: d.a.name, points: sa.points },
                          { id: 'b', label: d.b.name, points: sb.points },
                        ]}
                        format={m === 'prediction_count' ? count : num}
                        height={200}
                      />
                    </div>
                  );
                })}
              </div>
            </>
          );
        }}
      </Panel>
    </div>
  );
}
