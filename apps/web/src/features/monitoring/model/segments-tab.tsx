'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Table, Td, Th } from '~/components/ui';
import { useTRPC } from '~/trpc/react';
import { count, metricLabel, num, pct } from '../format';
import { LIVE_REFRESH_MS, Panel } from '../panel';
import { useModelScope } from './use-model';

/** The headline metrics per segment value over the range, worst first, beside the whole population. */
export function SegmentsTab({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const scope = useModelScope(modelId);
  const segments = useQuery({ ...trpc.model.segments.queryOptions(scope), refetchInterval: LIVE_REFRESH_MS });
  return (
    <Panel
      title="Segments"
      id="segments"
      query={segments}
      isEmpty={(d) => d.rows.length === 0}
      empty={
        <p>
          No segment in this range. Segments come from prediction tags: name the tags to track in <Link href={`/models/${modelId}/settings`}>Settings</Link> (for example{' '}
          <code>country</code>), then send <code>tags: {'{ country: "DE" }'}</code> with each prediction.
        </p>
      }
    >
      {(d) => (
        <Table caption="Metrics per segment, worst first">
          <thead>
            <tr>
              <Th>Segment</Th>
              <Th>Predictions</Th>
              <Th>Drifted features</Th>
              <Th>Label coverage</Th>
              <Th>{d.headline ? metricLabel(d.headline.metric) : 'Performance'}</Th>
            </tr>
          </thead>
          <tbody>
            <tr className="is-total">
              <Td>all predictions</Td>
              <Td className="num">{count(d.overall.predictions)}</Td>
              <Td className="num">{pct(d.overall.driftedShare, 0)}</Td>
              <Td className="num">{pct(d.overall.labelCoverage, 0)}</Td>
              <Td className="num">{num(d.overall.headline)}</Td>
            </tr>
            {d.rows.map((r) => {
              const worse =
                d.headline && r.headline !== null && d.overall.headline !== null && (d.headline.higherIsBetter ? r.headline < d.overall.headline : r.headline > d.overall.headline);
              return (
                <tr key={r.segment} data-segment={r.segment}>
                  <Td>
                    <span className="ui-chip">{r.tag}</span> {r.value}
                  </Td>
                  <Td className="num">{count(r.predictions)}</Td>
                  <Td className="num">{pct(r.driftedShare, 0)}</Td>
                  <Td className="num">{pct(r.labelCoverage, 0)}</Td>
                  <Td className={worse ? 'num bad' : 'num'}>{num(r.headline)}</Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </Panel>
  );
}
